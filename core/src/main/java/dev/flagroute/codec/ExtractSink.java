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

  /** A header, or one flag in it, was dropped. */
  void dropped(String header, DropReason reason);
}
