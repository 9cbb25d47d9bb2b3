package dev.flagroute.mesh.rules;

/**
 * Writing RE2 regular expressions for mesh rules: literals escaped, and patterns anchored so that
 * they mean the same whether a mesh matches them against the whole value (Envoy) or any part of
 * it. Internal to flagroute-mesh.
 */
public final class Re2 {
  private static final String META = "\\.+*?()|[]{}^$";

  private Re2() {}

  /** {@code literal} with every RE2 metacharacter escaped, so that it matches exactly itself. */
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

  /** {@code ^(?:regex)$}: the pattern matching whole values only, however the mesh applies it. */
  public static String anchored(String regex) {
    return "^(?:" + regex + ")$";
  }
}
