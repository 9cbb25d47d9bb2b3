package dev.flagroute.benchmarks.load;

/**
 * What every load test's server does alike, so that {@code run-load.sh} drives them all the same
 * way: it takes the most seconds to run as its first argument, stops by itself after them (a
 * server the script could not stop does not outlive the run for long), and announces where each of
 * its two paths is served with one line per path on standard output.
 */
public final class LoadServer {
  /** The path without flagroute. */
  public static final String PLAIN = "plain";
  /** The path with flagroute. */
  public static final String FLAGGED = "flagged";

  private static final long DEFAULT_MAX_SECONDS = 1800;

  private LoadServer() {}

  /**
   * Starts the clock: the process exits {@code args[0]} seconds from now (1800 without it, or when
   * the first argument is not a number, as in a Spring application's {@code --name=value} ones).
   */
  public static void stopLater(String[] args) {
    long seconds = args.length > 0 && args[0].matches("[0-9]{1,9}") ? Long.parseLong(args[0]) : DEFAULT_MAX_SECONDS;
    Thread stopper = new Thread(() -> {
      try {
        Thread.sleep(seconds * 1000);
        System.exit(0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "time-limit");
    stopper.setDaemon(true);
    stopper.start();
  }

  /** Prints {@code <path> <target>}: the script loads {@code target} for {@code path} (plain or flagged). */
  public static void announce(String path, String target) {
    System.out.println(path + " " + target);
    System.out.flush();
  }
}
