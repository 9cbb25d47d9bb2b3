package dev.flagroute.codec;

import java.util.List;
import java.util.Map;

/**
 * Reads headers from an inbound carrier (a servlet request, gRPC metadata, a map, ...).
 *
 * @param <C> the carrier type
 */
@FunctionalInterface
public interface HeaderGetter<C> {
  /**
   * The value of header {@code name} (given in lowercase), matched ignoring case, or {@code null}
   * if absent. A header present several times is returned as its values joined with {@code ","},
   * as HTTP combines them.
   */
  String get(C carrier, String name);

  /**
   * The header names present, for codecs that count headers they do not know; carriers that cannot
   * list names return an empty iterable (the default).
   */
  default Iterable<String> names(C carrier) {
    return List.of();
  }

  /**
   * A getter for a map from header name to value; names are matched ignoring case, as HTTP does
   * (keys differing only in case count as one header sent twice, their values joined with
   * {@code ","}). Each get passes over the keys; a router reads all its flag headers from such a
   * map in one pass over its entries.
   */
  static HeaderGetter<Map<String, String>> forMap() {
    return MapCarriers.SINGLE_GETTER;
  }

  /**
   * A getter for a map from header name to its values, such as OkHttp's {@code Headers.toMultimap()};
   * names are matched ignoring case, as for {@link #forMap()}.
   */
  static HeaderGetter<Map<String, List<String>>> forMultiMap() {
    return MapCarriers.MULTI_GETTER;
  }
}
