package dev.flagroute.codec;

/**
 * Optional whitespace (RFC 9110 section 5.6.3): the spaces and horizontal tabs that may surround
 * a header value, a list member, a key or a value, and that HTTP parsers and the generated mesh
 * patterns ignore. Nothing else counts as whitespace here: a vertical tab or a non-breaking space
 * is part of the value, as it is to the mesh.
 */
final class Ows {
  private Ows() {}

  /** Whether {@code c} is a space or a horizontal tab. */
  static boolean is(char c) {
    return c == ' ' || c == '\t';
  }

  /** The first index from {@code from} on, before {@code to}, that is no space or tab, else {@code to}. */
  static int skip(String s, int from, int to) {
    while (from < to && is(s.charAt(from))) {
      from++;
    }
    return from;
  }

  /** The end of {@code s} before {@code to} without trailing spaces and tabs, at least {@code from}. */
  static int back(String s, int from, int to) {
    while (to > from && is(s.charAt(to - 1))) {
      to--;
    }
    return to;
  }

  /** {@code s} without the spaces and tabs at both ends (itself when it has none). */
  static String trim(String s) {
    int start = skip(s, 0, s.length());
    return s.substring(start, back(s, start, s.length()));
  }
}
