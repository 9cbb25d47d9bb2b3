package dev.flagroute.codec;

import dev.flagroute.internal.AsciiNames;
import dev.flagroute.internal.WireNames;

/**
 * The flag headers of every codec under its default names ({@code x-flag-*}, {@code x-flags}, the
 * {@code flag.} members of {@code baggage}), which a call leaving the mesh loses whatever codec
 * its router uses.
 */
final class DefaultFlagHeaders {
  private DefaultFlagHeaders() {}

  /** {@code value} of header {@code name} without default-named flags; {@code null} when nothing is left. */
  static String without(String name, String value) {
    if (AsciiNames.startsWith(name, WireNames.PER_FLAG_PREFIX)
        || AsciiNames.same(name, WireNames.COMBINED_HEADER)) {
      return null;
    }
    if (AsciiNames.same(name, WireNames.BAGGAGE_HEADER) && value != null) {
      String foreign = BaggageHeaderCodec.DEFAULT.foreignMembers(value);
      return foreign.isEmpty() ? null : foreign;
    }
    return value;
  }
}
