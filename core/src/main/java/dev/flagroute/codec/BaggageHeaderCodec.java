package dev.flagroute.codec;

import dev.flagroute.internal.BaggageMembers;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Flags as W3C {@code baggage} members {@code flag.<key>=<variant>}. Values are percent-decoded on
 * read (variants never need encoding on write); legal members of other owners are kept on write,
 * anything illegal in the existing value is dropped (see {@link BaggageMembers}).
 */
final class BaggageHeaderCodec extends MemberListCodec {
  static final BaggageHeaderCodec DEFAULT = new BaggageHeaderCodec("flag.");

  BaggageHeaderCodec(String memberPrefix) {
    super("baggage", lowerToken(memberPrefix, "baggage member prefix"));
  }

  @Override
  String decodeValue(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteBuffer bytes = ByteBuffer.allocate(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.put((byte) (hi * 16 + lo));
        i += 2;
      } else if (c < 0x80) {
        bytes.put((byte) c);
      } else {
        return null;
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
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
