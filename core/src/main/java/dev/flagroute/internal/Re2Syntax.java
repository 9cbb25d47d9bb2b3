package dev.flagroute.internal;

/**
 * The one place flagroute escapes text for the regular expressions it writes into mesh rules
 * (core's codec patterns, and the mesh module's). What it writes means the same in RE2 (Envoy,
 * RE2/J), Rust's {@code regex} crate (linkerd2-proxy) and {@link java.util.regex}: every
 * metacharacter of any of them is escaped with a backslash, and nothing else is, since those
 * engines reject escapes of some ordinary characters. Not API.
 */
public final class Re2Syntax {
  /** The characters special outside a character class in RE2, Rust {@code regex} and Java. */
  private static final String META = "\\.+*?()|[]{}^$";
  /**
   * The characters special inside a character class in one of them: RE2's {@code \ ] [ ^ -},
   * and Java's and Rust's set operators {@code &&}, {@code ~~} and {@code --}.
   */
  private static final String CLASS_META = "\\][^-&~";

  private Re2Syntax() {}

  /** {@code literal} with every metacharacter escaped, so that the pattern matches exactly {@code literal}. */
  public static String quote(String literal) {
    StringBuilder quoted = new StringBuilder(literal.length() + 8);
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (META.indexOf(c) >= 0) {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.toString();
  }

  /** {@code c} as it must be written inside a character class ({@code [...]}) to stand for itself. */
  public static String inClass(char c) {
    return CLASS_META.indexOf(c) >= 0 ? "\\" + c : String.valueOf(c);
  }
}
