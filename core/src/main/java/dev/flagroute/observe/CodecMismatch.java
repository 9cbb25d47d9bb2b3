package dev.flagroute.observe;

import java.util.Objects;

/**
 * A relay received flag headers written by another codec, or another prefix, than its own: an
 * earlier hop or the mesh rules use a different {@code HeaderCodec}. The relay does not read them
 * (the mesh routes by one codec only, so a variant read from another would be one the mesh did not
 * route by); its flags take what its own codec carries, or their defaults.
 *
 * @param expected the relay's codec, e.g. {@code HeaderCodec.baggage(flag.)}
 * @param received the codec that writes the header seen, e.g. {@code HeaderCodec.perFlag(x-flag-)}
 * @param header the header seen, lowercase, at most 128 chars
 */
public record CodecMismatch(String expected, String received, String header) {
  /** Checks that no component is null. */
  public CodecMismatch {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(received, "received");
    Objects.requireNonNull(header, "header");
  }
}
