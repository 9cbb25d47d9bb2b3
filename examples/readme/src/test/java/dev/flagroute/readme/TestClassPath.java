package dev.flagroute.readme;

/** The class path of the running tests, which the snippets compile against. */
final class TestClassPath {
  private TestClassPath() {}

  /**
   * Surefire's {@code surefire.test.class.path}: its forked JVM starts from a manifest-only jar, so
   * {@code java.class.path} names that jar alone. Outside Surefire (an IDE), {@code java.class.path}.
   */
  static String get() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /** A compiler over this class path. */
  static SnippetCompiler compiler() {
    return new SnippetCompiler(get());
  }
}
