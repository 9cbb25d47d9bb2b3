package dev.flagroute.internal;

import java.util.regex.Pattern;

/**
 * The character rules for the names in a flag route. Each name ends up in an HTTP header, a
 * Kubernetes label or a Kubernetes object name, so the rules are the intersection of those. Not
 * API: the routes validate these names, and their messages state the rules.
 */
public final class RouteNames {
  /** Flag keys: letters, digits, '-' and '.', starting and ending alphanumeric, 1 to 63 chars. */
  public static final Pattern FLAG_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?");

  /** Variants: header values and label values: letters, digits, '-', '_' and '.', 1 to 63. */
  public static final Pattern VARIANT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

  /** Version labels: lowercase DNS labels (they name subsets and per-version Services). */
  public static final Pattern VERSION = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Services: lowercase DNS-1123 subdomains such as {@code reviews} or {@code reviews.shop}. */
  public static final Pattern SERVICE =
      Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  /** Header names as flagroute writes them: lowercase HTTP tokens (RFC 9110), as meshes match them. */
  public static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");

  private RouteNames() {}

  /** Whether {@code value} is a legal variant name ({@link #VARIANT}); safe on any input. */
  public static boolean isVariant(String value) {
    return isName(value, true);
  }

  /** Whether {@code key} is a legal flag key ({@link #FLAG_KEY}); safe on any input. */
  public static boolean isFlagKey(String key) {
    return isName(key, false);
  }

  /**
   * The two patterns above as one loop, for the relay's request path: 1 to 63 chars, letters and
   * digits at both ends, and letters, digits, {@code '-'}, {@code '.'} (and {@code '_'} when
   * {@code underscore}) between.
   */
  private static boolean isName(String s, boolean underscore) {
    int last = s == null ? -1 : s.length() - 1;
    if (last < 0 || last > 62 || !isAlphanumeric(s.charAt(0)) || !isAlphanumeric(s.charAt(last))) {
      return false;
    }
    for (int i = 1; i < last; i++) {
      char c = s.charAt(i);
      if (!isAlphanumeric(c) && c != '-' && c != '.' && (c != '_' || !underscore)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'z' || c >= '0' && c <= '9';
  }
}
