package dev.flagroute.codec;

/**
 * How a mesh rule recognises one flag variant in the headers a codec writes: the header name and
 * an exact value or a full-match RE2/Java regular expression.
 *
 * @param header the lowercase header name
 * @param type exact or regular-expression match
 * @param value the exact value, or the pattern
 */
public record HeaderMatch(String header, Type type, String value) {
  /** The kind of match. */
  public enum Type {
    /** The header equals the value. */
    EXACT,
    /** The whole header value matches the pattern (RE2 and Java agree on the patterns written). */
    REGEX
  }
}
