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

  /** Whether {@code value} is a legal variant name; safe on any input. */
  public static boolean isVariant(String value) {
    return value != null && value.length() <= 63 && VARIANT.matcher(value).matches();
  }
}
