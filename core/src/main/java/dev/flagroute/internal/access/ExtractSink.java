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
   * Takes back what {@link #variant} took for the flag at {@code routeIndex}: a codec that read
   * ahead on a fast path hands the whole read to its general path.
   */
  default void retract(int routeIndex) {}

  /**
   * A flag the routes do not define, read from {@code header} within the limits (they count
   * towards {@code maxFlags} with the routed ones): {@code key} as the codec spells it (the
   * lowercase header name after the prefix for the per-flag codec, the member key after the member
   * prefix for member lists), {@code value} normalised as for {@link #flag}, neither checked
   * further. Only for a sink that {@linkplain #hearsUnknownFlags hears of such flags}. By default
   * dropped as {@link DropReason#UNKNOWN_FLAG}.
   */
  default void unrouted(String header, String key, String value) {
    dropped(header, DropReason.UNKNOWN_FLAG);
  }

  /**
   * Takes the flag {@code key} at {@code value}, as read, if both are legal names, and says whether
   * it did; reports nothing either way, so a codec reading ahead on a fast path hands the whole
   * read to its general path on a no. The codec vouches for the rest of {@link #unrouted}'s checks:
   * {@code key} names no route (ignoring case) and is none of the keys it gave before in this read.
   * By default nothing is taken.
   */
  default boolean carry(String key, String value) {
    return false;
  }

  /** Takes back everything {@link #carry} took. */
  default void retractCarried() {}

  /**
   * Whether the sink hears of flags the routes do not know. Finding them takes a look at every
   * inbound header name for the per-flag codec, which it skips when the answer is no.
   */
  default boolean hearsUnknownFlags() {
    return true;
  }

  /**
   * Whether the sink hears the names of the inbound headers the codec does not read
   * ({@link #otherName}). No by default.
   */
  default boolean hearsOtherNames() {
    return false;
  }

  /**
   * The name of an inbound header the codec does not read, as the carrier lists it: a codec that
   * passes over every header name anyway reports the others here, then calls {@link #namesSeen},
   * sparing the sink a pass of its own. A sink must not count on either call.
   */
  default void otherName(String name) {}

  /** Every header name the codec does not read was reported to {@link #otherName}. */
  default void namesSeen() {}

  /** A header, or one flag in it, was dropped. */
  void dropped(String header, DropReason reason);
}
