package dev.flagroute.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Flags as W3C {@code baggage} members {@code flag.<key>=<variant>}. Values are percent-decoded on
 * read (variants never need encoding on write); legal members of other owners are kept on write,
 * anything illegal in the existing value is dropped (see {@link #membersWithout}).
 */
final class BaggageHeaderCodec extends MemberListCodec {
  static final BaggageHeaderCodec DEFAULT = new BaggageHeaderCodec("flag.");
  /** The most members of other owners kept on a write: the 64 list-members W3C Baggage requires carriers to take. */
  static final int MAX_KEPT_MEMBERS = 64;
  /** The most chars of other owners' members kept on a write: the 8192 bytes W3C Baggage requires carriers to take. */
  static final int MAX_KEPT_LENGTH = 8192;

  private static final String OWS = "[ \\t]*";
  private static final String TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
  private static final String VALUE = "[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]*";
  /** A W3C baggage list-member: {@code key OWS "=" OWS value *(OWS ";" OWS property)}. */
  private static final Pattern LIST_MEMBER = Pattern.compile(TOKEN + OWS + "=" + OWS + VALUE
      + "(?:" + OWS + ";" + OWS + TOKEN + "(?:" + OWS + "=" + OWS + VALUE + ")?)*");

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
    return membersWithout(existing, memberPrefix, memberPrefix);
  }

  /**
   * The members of the baggage string {@code existing} that a writer keeps: those that are legal
   * W3C baggage list-members (surrounding spaces and tabs trimmed) and whose keys start with
   * neither prefix (ignoring case), in order, joined with {@code ","}; at most
   * {@link #MAX_KEPT_MEMBERS} of them and {@link #MAX_KEPT_LENGTH} chars. Whatever else is in it
   * (control characters such as CR and LF, quotes, non-ASCII text, empty or malformed members) is
   * dropped, so the result is always a legal header value.
   */
  static String membersWithout(String existing, String prefix, String otherPrefix) {
    if (existing == null || existing.isEmpty()) {
      return "";
    }
    StringBuilder kept = new StringBuilder();
    int count = 0;
    for (int start = 0; start <= existing.length() && count < MAX_KEPT_MEMBERS; ) {
      int end = existing.indexOf(',', start);
      end = end < 0 ? existing.length() : end;
      int from = start;
      int to = end;
      start = end + 1;
      while (from < to && isOws(existing.charAt(from))) {
        from++;
      }
      while (to > from && isOws(existing.charAt(to - 1))) {
        to--;
      }
      if (from == to || existing.regionMatches(true, from, prefix, 0, prefix.length())
          || existing.regionMatches(true, from, otherPrefix, 0, otherPrefix.length())
          || !LIST_MEMBER.matcher(existing).region(from, to).matches()) {
        continue;
      }
      if (kept.length() + (to - from) + (count == 0 ? 0 : 1) > MAX_KEPT_LENGTH) {
        break;
      }
      kept.append(count++ == 0 ? "" : ",").append(existing, from, to);
    }
    return kept.toString();
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  @Override
  public String toString() {
    return "HeaderCodec.baggage(" + memberPrefix + ")";
  }
}
