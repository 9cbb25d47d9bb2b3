package dev.flagroute.benchmarks.startup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Measures what flagroute's starter adds to the start of {@link StartupApp}: starts it in fresh JVMs,
 * alternately with its whole class path and without the jars only the starter brings (flagroute's,
 * Caffeine, snakeyaml-engine, context-propagation), and compares the CPU time each JVM used until
 * the application was ready. Prints each side's mean and standard deviation, the difference of the
 * means with a 95% interval, and the main thread's CPU time in creating flagroute's beans (measured
 * inside the JVM, so far less noisy).
 *
 * <p>Usage: {@code java -cp <this module's class path> dev.flagroute.benchmarks.startup.StartupCost [rounds]}
 */
public final class StartupCost {
  /** Jars of the starter and of what it alone brings, by file-name prefix. */
  private static final List<String> STARTER_ONLY = List.of("flagroute-", "caffeine-", "error_prone_annotations-",
      "snakeyaml-engine-", "context-propagation-");
  private static final Pattern LINE = Pattern.compile(
      "startup cpu-ms=(\\d+) main-ms=(\\d+) wall-ms=(\\d+) classes=(\\d+) flagroute-beans-ms=(\\d+)");

  private StartupCost() {}

  /** Runs the comparison; the argument is the number of rounds (one start of each side per round). */
  public static void main(String[] args) throws IOException, InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    List<String> without = all.stream().filter(entry -> !starterOnly(entry)).toList();
    System.out.println("without the starter, the class path lacks: " + all.stream().filter(StartupCost::starterOnly)
        .map(entry -> new File(entry).getName()).collect(Collectors.joining(", ")));
    start(all);  // warms the file cache; not counted
    start(without);
    List<long[]> with = new ArrayList<>();
    List<long[]> bare = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      // alternate which side goes first, so that drift in the machine's load hits both alike
      if (round % 2 == 0) {
        with.add(start(all));
        bare.add(start(without));
      } else {
        bare.add(start(without));
        with.add(start(all));
      }
    }
    report("with the starter   ", with);
    report("without the starter", bare);
    difference("CPU time of the JVM", with, bare, 0);
    difference("CPU time of the main thread", with, bare, 1);
    difference("wall time", with, bare, 2);
    difference("classes loaded", with, bare, 3);
    System.out.printf(Locale.ROOT, "main thread's CPU time in creating flagroute's beans: %.0f ms (sd %.0f)%n",
        mean(with, 4), sd(with, 4));
  }

  private static boolean starterOnly(String entry) {
    String name = new File(entry).getName();
    return STARTER_ONLY.stream().anyMatch(name::startsWith);
  }

  /** One start in a fresh JVM: JVM CPU ms, main-thread CPU ms, wall ms and classes loaded when the app was ready. */
  private static long[] start(List<String> classPath) throws IOException, InterruptedException {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process process = new ProcessBuilder(java, "-cp", String.join(File.pathSeparator, classPath),
        StartupApp.class.getName()).redirectErrorStream(true).start();
    long[] measured = null;
    List<String> output = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
        Matcher matcher = LINE.matcher(line);
        if (matcher.find()) {
          measured = new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
              Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)), Long.parseLong(matcher.group(5))};
        }
      }
    }
    process.waitFor();
    if (measured == null) {
      throw new IllegalStateException("the app did not report its start:\n" + String.join("\n", output));
    }
    return measured;
  }

  private static void report(String label, List<long[]> runs) {
    System.out.printf(Locale.ROOT, "%s: CPU %6.0f ms (sd %4.0f), main thread %5.0f ms (sd %3.0f), wall %6.0f ms"
        + " (sd %4.0f), %5.0f classes; CPU runs %s%n", label, mean(runs, 0), sd(runs, 0), mean(runs, 1), sd(runs, 1),
        mean(runs, 2), sd(runs, 2), mean(runs, 3),
        runs.stream().map(run -> Long.toString(run[0])).collect(Collectors.joining(" ")));
  }

  /** The difference of the means with a 95% interval (Welch, normal approximation). */
  private static void difference(String label, List<long[]> with, List<long[]> without, int column) {
    double difference = mean(with, column) - mean(without, column);
    double error = Math.sqrt(square(sd(with, column)) / with.size() + square(sd(without, column)) / without.size());
    System.out.printf(Locale.ROOT, "difference in %s: %+.0f +/- %.0f (95%% interval %.0f to %.0f)%n", label, difference,
        1.96 * error, difference - 1.96 * error, difference + 1.96 * error);
  }

  private static double mean(List<long[]> runs, int column) {
    return runs.stream().mapToLong(run -> run[column]).average().orElse(Double.NaN);
  }

  private static double sd(List<long[]> runs, int column) {
    double mean = mean(runs, column);
    return Math.sqrt(runs.stream().mapToDouble(run -> square(run[column] - mean)).sum() / (runs.size() - 1));
  }

  private static double square(double value) {
    return value * value;
  }
}
