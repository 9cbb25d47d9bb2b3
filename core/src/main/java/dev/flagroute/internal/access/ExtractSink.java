package dev.flagroute.internal.access;

import dev.flagroute.codec.DropReason;

/**
 * Receives what a codec bound to routes ({@link CodecAccess#extract}) reads from inbound headers:
 * a candidate value for a flag, or a drop. Not API.
 */
public interface ExtractSink {
  /**
   * A value for the flag at {@code routeIndex} of the codec's routes, read from {@code header}
   * within the limits and normalised as the codec's wire format says. The sink checks that it is
   * one of the route's variants.
   */
  void flag(int routeIndex, String header, String value);

  /**
   * The same for the value spelled by {@code source} from {@code from} to {@code to}: codecs that
   * find values inside a longer header hand them over this way, so a sink that only compares them
   * need not cut them out.
   */
  default void flag(int routeIndex, String header, String source, int from, int to) {
    flag(routeIndex, header, source.substring(from, to));
  }

  /**
   * Takes {@code value}, as read and before any check, for the flag at {@code routeIndex} if it is
   * exactly one of the route's variants, and says whether it did. A variant is a token, so a value
   * taken here needs none of the checks a codec makes before {@link #flag} (a repeated header, spaces
   * around it); a value not taken goes through them. By default nothing is taken.
   */
  default boolean variant(int routeIndex, String value) {
    return false;
  }

  /**
   * The same for the value spelled by {@code source} from {@code from} to {@code to}, as read,
   * before the codec trims it or cuts off its properties.
   */
  default boolean variant(int routeIndex, String source, int from, int to) {
    return false;
  }

  /**
   * Whether the sink hears of headers naming flags the routes do not know. Finding them takes a
   * look at every inbound header name, which a codec skips when the answer is no.
   */
  default boolean hearsUnknownFlags() {
    return true;
  }

  /** A header, or one flag in it, was dropped. */
  void dropped(String header, DropReason reason);
}
