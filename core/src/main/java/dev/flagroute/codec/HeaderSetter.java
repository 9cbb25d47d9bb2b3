package dev.flagroute.codec;

import java.util.Map;

/**
 * Writes headers to an outbound carrier (an HTTP request builder, gRPC metadata, a map, ...).
 *
 * @param <C> the carrier type
 */
@FunctionalInterface
public interface HeaderSetter<C> {
  /** Sets header {@code name} (lowercase) to {@code value}, replacing any value it had. */
  void set(C carrier, String name, String value);

  /**
   * The value header {@code name} already has on the carrier, or {@code null}; codecs that merge
   * into a shared header (W3C {@code baggage}) read it so that other members survive. Setters that
   * cannot read return {@code null} (the default).
   */
  default String get(C carrier, String name) {
    return null;
  }

  /** A setter for a mutable map from header name to value, which it also reads. */
  static HeaderSetter<Map<String, String>> forMap() {
    return MapCarriers.SINGLE_SETTER;
  }
}
