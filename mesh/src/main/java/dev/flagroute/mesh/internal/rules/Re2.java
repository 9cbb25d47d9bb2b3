package dev.flagroute.mesh.internal.rules;

import dev.flagroute.internal.Re2Syntax;

/**
 * Writing RE2 regular expressions for mesh rules: literals escaped, and patterns anchored so that
 * they mean the same whether a mesh matches them against the whole value (Envoy) or any part of
 * it. Internal to flagroute-mesh.
 */
public final class Re2 {
  private Re2() {}

  /**
   * {@code literal} with every RE2 metacharacter escaped, so that it matches exactly itself; the
   * same escaping core's codecs use ({@link Re2Syntax#quote}).
   */
  public static String quote(String literal) {
    return Re2Syntax.quote(literal);
  }

  /** {@code ^(?:regex)$}: the pattern matching whole values only, however the mesh applies it. */
  public static String anchored(String regex) {
    return "^(?:" + regex + ")$";
  }
}
