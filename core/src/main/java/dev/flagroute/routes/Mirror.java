package dev.flagroute.routes;

import dev.flagroute.internal.RouteNames;

/**
 * A dark launch of one flag variant: requests carrying the variant are still served by the
 * variant's own version, and the mesh sends a copy of {@code percent} percent of them to
 * {@code version}, whose responses it throws away. Declared with
 * {@link FlagRoute.Builder#mirror(String, String, int)} or a variant's {@code mirror} field in a
 * routes file. Immutable.
 *
 * @param version the version label the copies go to, a lowercase DNS label such as {@code v2}
 * @param percent the share of the variant's requests that is copied, 1 to 100
 */
public record Mirror(String version, int percent) {
  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if {@code version} is not a lowercase DNS label or
   *     {@code percent} is not between 1 and 100
   */
  public Mirror {
    String problem = problem(version, percent);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** What is wrong with a mirror to {@code version} of {@code percent} percent, or {@code null}. */
  static String problem(String version, int percent) {
    if (version == null || !RouteNames.VERSION.matcher(version).matches()) {
      return "mirror version '" + version + "' must be a lowercase DNS label such as 'v2'";
    }
    if (percent < 1 || percent > 100) {
      return "mirror percent " + percent + " must be between 1 and 100";
    }
    return null;
  }
}
