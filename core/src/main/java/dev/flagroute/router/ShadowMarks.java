package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.internal.WireNames;
import java.util.Locale;

/**
 * How a relay recognises a mirrored copy of a request: by its authority, to which Envoy (so Istio
 * and Envoy-based Gateway API implementations) appends {@code -shadow} before any port
 * ({@code reviews:9080} becomes {@code reviews-shadow:9080}), or by the shadow marker header that
 * flagroute stamps on calls made from a shadow. Total on any input. Thread-safe.
 */
final class ShadowMarks {
  /** What Envoy appends to the host of a mirrored copy's authority. */
  static final String SUFFIX = "-shadow";

  private ShadowMarks() {}

  /**
   * Whether the host of {@code authority} ({@code host}, {@code host:port}, {@code [v6]:port}; any
   * case) ends with {@link #SUFFIX} after at least one character; false for null. The host is what
   * comes before the last {@code ':'} outside brackets.
   */
  static boolean shadowAuthority(String authority) {
    if (authority == null) {
      return false;
    }
    int colon = authority.lastIndexOf(':');
    int end = colon > authority.lastIndexOf(']') ? colon : authority.length();
    return end > SUFFIX.length() && authority.regionMatches(true, end - SUFFIX.length(), SUFFIX, 0, SUFFIX.length());
  }

  /**
   * Why the marker header's {@code value} (as received, repeated values joined with {@code ','})
   * does not mark a shadow, or {@code null} when it does: {@code 1} or {@code true} (any case),
   * spaces and tabs around it ignored.
   */
  static DropReason markerProblem(String value, HeaderLimits limits) {
    if (value.length() > limits.maxValueLength()) {
      return DropReason.VALUE_TOO_LONG;
    }
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) {
      start++;
    }
    while (end > start && isOws(value.charAt(end - 1))) {
      end--;
    }
    String trimmed = value.substring(start, end);
    if (trimmed.isEmpty()) {
      return DropReason.EMPTY_VALUE;
    }
    if (trimmed.indexOf(',') >= 0) {
      return DropReason.DUPLICATE;
    }
    return trimmed.equals(WireNames.SHADOW_MARK) || trimmed.toLowerCase(Locale.ROOT).equals("true") ? null
        : DropReason.INVALID_VALUE;
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
