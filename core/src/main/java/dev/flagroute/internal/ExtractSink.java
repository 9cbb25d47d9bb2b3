package dev.flagroute.internal;

import dev.flagroute.codec.DropReason;

/**
 * Receives what a {@link BoundCodec} reads from inbound headers: a candidate value for a flag, or
 * a drop. Not API.
 */
public interface ExtractSink {
  /**
   * A value for the flag at {@code routeIndex} of the codec's routes, read from {@code header}
   * within the limits and normalised as the codec's wire format says. The sink checks that it is
   * one of the route's variants.
   */
  void flag(int routeIndex, String header, String value);

  /** A header, or one flag in it, was dropped. */
  void dropped(String header, DropReason reason);
}
