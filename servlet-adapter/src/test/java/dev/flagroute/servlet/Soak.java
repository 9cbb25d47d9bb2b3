package dev.flagroute.servlet;

/**
 * The size of the concurrent-users soak: small by default (a quick check on every container),
 * full with {@code -Dflagroute.soak=full} (CI sets it), and then on one container only. The test
 * carries the JUnit tag {@value #TAG}, so {@code -DexcludedGroups=soak} leaves it out.
 *
 * @param clients concurrent clients
 * @param requestsPerClient requests each client sends, one after another, each as another user
 */
record Soak(int clients, int requestsPerClient) {
  /** The JUnit tag of the soak. */
  static final String TAG = "soak";
  /** The system property that asks for the full size ({@code full}). */
  static final String PROPERTY = "flagroute.soak";
  private static final Soak SMALL = new Soak(8, 50);
  private static final Soak FULL = new Soak(32, 500);

  /** The size for a container; {@code fullHere} marks the one container that runs the full soak. */
  static Soak size(boolean fullHere) {
    String wanted = System.getProperty(PROPERTY, "small");
    if (!wanted.equals("small") && !wanted.equals("full")) {
      throw new IllegalArgumentException(PROPERTY + " must be 'small' or 'full', not '" + wanted + "'");
    }
    return fullHere && wanted.equals("full") ? FULL : SMALL;
  }
}
