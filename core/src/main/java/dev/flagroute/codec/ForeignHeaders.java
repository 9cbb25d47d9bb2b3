package dev.flagroute.codec;

import dev.flagroute.internal.WireNames;

/**
 * Recognises inbound flag headers that another of flagroute's codecs writes, with its default
 * names, than the codec a relay reads with: {@code x-flag-*} headers, an {@code x-flags} header,
 * {@code flag.} members of {@code baggage}. A header named by a custom prefix or name of another
 * codec cannot be told from any other header, so only the defaults are recognised.
 */
final class ForeignHeaders {
  /** How much of a {@code baggage} value is searched for flag members. */
  private static final int MAX_SCANNED = 8192;

  private ForeignHeaders() {}

  /**
   * The codec that writes header {@code name} (any case) with value {@code value} (read only for
   * {@code baggage}; may be null) if it is not {@code own}, or null if {@code own} writes it or no
   * codec of flagroute's does.
   */
  static HeaderCodec writer(HeaderCodec own, String name, String value) {
    if (own.owns(name)) {
      return own instanceof BaggageHeaderCodec baggage && !baggage.memberPrefix.equals(WireNames.MEMBER_PREFIX)
          && hasMember(value, WireNames.MEMBER_PREFIX) ? BaggageHeaderCodec.DEFAULT : null;
    }
    char first = name.isEmpty() ? 0 : (char) (name.charAt(0) | 0x20);
    if (first != 'x' && first != 'b') {
      return null; // no default name starts otherwise: most headers end here
    }
    if (PerFlagHeaderCodec.DEFAULT.owns(name)) {
      return PerFlagHeaderCodec.DEFAULT;
    }
    if (CombinedHeaderCodec.DEFAULT.owns(name)) {
      return CombinedHeaderCodec.DEFAULT;
    }
    return BaggageHeaderCodec.DEFAULT.owns(name) && hasMember(value, WireNames.MEMBER_PREFIX)
        ? BaggageHeaderCodec.DEFAULT : null;
  }

  /** Whether the list {@code value} has a member whose key starts with {@code prefix}. */
  private static boolean hasMember(String value, String prefix) {
    if (value == null) {
      return false;
    }
    int length = Math.min(value.length(), MAX_SCANNED);
    for (int start = 0; start < length; ) {
      int from = Ows.skip(value, start, length);
      if (value.startsWith(prefix, from)) {
        return true;
      }
      int comma = value.indexOf(',', from);
      start = comma < 0 ? length : comma + 1;
    }
    return false;
  }
}
