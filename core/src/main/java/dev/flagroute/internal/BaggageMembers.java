package dev.flagroute.internal;

import java.util.regex.Pattern;

/**
 * The members of a W3C {@code baggage} value that flagroute keeps when it writes or shows one:
 * those that are legal W3C baggage list-members and are not flags. Whatever else a value holds
 * (control characters such as CR and LF, quotes, non-ASCII text, empty or malformed members) is
 * dropped, so what is kept is always a legal header value. Bounded: at most
 * {@link #MAX_KEPT_MEMBERS} members and {@link #MAX_KEPT_LENGTH} chars. Not API.
 */
public final class BaggageMembers {
  /** The most members kept: the 64 list-members W3C Baggage requires carriers to take. */
  public static final int MAX_KEPT_MEMBERS = 64;
  /** The most chars kept: the 8192 bytes W3C Baggage requires carriers to take. */
  public static final int MAX_KEPT_LENGTH = 8192;

  private static final String OWS = "[ \\t]*";
  private static final String TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
  private static final String VALUE = "[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]*";
  /** A W3C baggage list-member: {@code key OWS "=" OWS value *(OWS ";" OWS property)}. */
  private static final Pattern LIST_MEMBER = Pattern.compile(TOKEN + OWS + "=" + OWS + VALUE
      + "(?:" + OWS + ";" + OWS + TOKEN + "(?:" + OWS + "=" + OWS + VALUE + ")?)*");

  private BaggageMembers() {}

  /**
   * The legal members of the baggage string {@code existing} (surrounding spaces and tabs trimmed)
   * whose keys start with neither prefix (ignoring case), in order, joined with {@code ","}, within
   * the bounds; empty if none.
   */
  public static String without(String existing, String prefix, String otherPrefix) {
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
}
