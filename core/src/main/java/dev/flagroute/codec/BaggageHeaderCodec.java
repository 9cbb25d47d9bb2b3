package dev.flagroute.codec;

import dev.flagroute.internal.BaggageMembers;
import dev.flagroute.internal.WireNames;

/**
 * Flags as W3C {@code baggage} members {@code flag.<key>=<variant>}. Values are read as written,
 * not percent-decoded: variants never need encoding, and no mesh can decode before it matches, so
 * a decoded value would be read differently from how the mesh routes it. Legal members of other
 * owners are kept on write, anything illegal in the existing value is dropped (see
 * {@link BaggageMembers}).
 */
final class BaggageHeaderCodec extends MemberListCodec {
  static final BaggageHeaderCodec DEFAULT = new BaggageHeaderCodec(WireNames.MEMBER_PREFIX);

  BaggageHeaderCodec(String memberPrefix) {
    super(WireNames.BAGGAGE_HEADER, lowerToken(memberPrefix, "baggage member prefix"));
  }

  @Override
  String foreignMembers(String existing) {
    return BaggageMembers.without(existing, memberPrefix, memberPrefix);
  }

  @Override
  public String toString() {
    return "HeaderCodec.baggage(" + memberPrefix + ")";
  }
}
