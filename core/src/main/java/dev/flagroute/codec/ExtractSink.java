package dev.flagroute.codec;

/** Receives what a {@link HeaderCodec} reads from inbound headers. */
public interface ExtractSink {
  /**
   * A flag value was read. The codec has checked the limits; the sink checks that {@code value} is
   * one of the route's variants.
   *
   * @param routeIndex the index of the flag's route in the routes given to the codec
   */
  void flag(int routeIndex, String value);

  /**
   * Offers a flag value exactly as read, before the codec's own checks, so that the common case
   * (a well-formed variant) is taken in one comparison. Returns {@code true} if the sink took it
   * as one of the route's variants; on {@code false} the codec checks the value and goes on with
   * {@link #flag} or {@link #dropped}. Takes nothing by default.
   *
   * @param routeIndex the index of the flag's route in the routes given to the codec
   */
  default boolean offer(int routeIndex, String value) {
    return false;
  }

  /** A header, or one flag in it, was dropped. */
  void dropped(String header, DropReason reason);
}
