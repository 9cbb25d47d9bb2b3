package dev.flagroute.codec;

import dev.flagroute.internal.WireNames;

/** All flags in one header: {@code x-flags: checkout=v2,search=on}. */
final class CombinedHeaderCodec extends MemberListCodec {
  static final CombinedHeaderCodec DEFAULT = new CombinedHeaderCodec(WireNames.COMBINED_HEADER);

  CombinedHeaderCodec(String header) {
    super(lowerToken(header, "header name"), "");
  }

  @Override
  String foreignMembers(String existing) {
    return "";
  }

  @Override
  public String toString() {
    return "HeaderCodec.combined(" + header + ")";
  }
}
