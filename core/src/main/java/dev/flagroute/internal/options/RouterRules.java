package dev.flagroute.internal.options;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.internal.RouteNames;
import dev.openfeature.sdk.EvaluationContext;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The rules of a router's options that span more than one value, or that the builder and the
 * settings both check: header names, edge-only options, and which evaluation attributes key the
 * cache. Each throws {@link OptionProblem}. Not API.
 */
public final class RouterRules {
  private RouterRules() {}

  /**
   * {@code name} lowercased, as the header {@code option} names.
   *
   * @throws OptionProblem if it is not an HTTP header name
   */
  public static String headerName(RouterOption option, String name, String example) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (!RouteNames.HEADER_NAME.matcher(lower).matches()) {
      throw new OptionProblem(option, "must be an HTTP header name such as " + example + ", was '" + name + "'");
    }
    return lower;
  }

  /**
   * Checks that the override header and the shadow header (both lowercase) are neither flag headers
   * of {@code codec} nor the same header.
   *
   * @throws OptionProblem naming the first that is
   */
  public static void distinctHeaders(HeaderCodec codec, String overrideHeader, String shadowHeader) {
    if (codec.owns(overrideHeader)) {
      throw new OptionProblem(RouterOption.OVERRIDE_HEADER, "'" + overrideHeader + "' is a flag header of " + codec
          + "; choose a name outside it");
    }
    if (codec.owns(shadowHeader) || shadowHeader.equals(overrideHeader)) {
      throw new OptionProblem(RouterOption.SHADOW_HEADER, "'" + shadowHeader + "' is a flag header of " + codec
          + " or the override header; choose a name outside them");
    }
  }

  /**
   * Checks that {@code option} (override tokens, the rollout guard or verdicts), when used, is used
   * at the edge.
   *
   * @throws OptionProblem if it is used by a relay
   */
  public static void edgeOnly(RouterOption option, boolean used, boolean edge) {
    if (used && !edge) {
      throw new OptionProblem(option, switch (option) {
        case GUARD -> "the rollout guard decides at the edge only";
        case VERDICTS -> "verdicts are made at the edge only, where variants are decided";
        default -> "override tokens are read at the edge only";
      });
    }
  }

  /**
   * {@code names} without repeats, in order.
   *
   * @throws OptionProblem if a name is blank or the targeting key, which is always part of the
   *     cache key
   */
  public static List<String> attributeNames(RouterOption option, Collection<String> names) {
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String name : names) {
      if (name == null || name.isBlank()) {
        throw new OptionProblem(option, "attribute names must not be blank");
      }
      if (name.equals(EvaluationContext.TARGETING_KEY)) {
        throw new OptionProblem(option, "the targeting key is always part of the cache key: '" + name + "'");
      }
      unique.add(name);
    }
    return List.copyOf(unique);
  }

  /**
   * Checks that no attribute is both part of the cache key and ignored by the cache; {@code where}
   * says where the key attributes are declared, or is {@code null}.
   *
   * @throws OptionProblem naming the ignored attribute that is also a key attribute
   */
  public static void keyNotIgnored(Collection<String> keyAttributes, Collection<String> ignoredAttributes,
      String where) {
    for (String name : ignoredAttributes) {
      if (keyAttributes.contains(name)) {
        throw new OptionProblem(RouterOption.CACHE_IGNORED_ATTRIBUTES, "'" + name + "' is also a cache-key attribute"
            + (where == null ? "" : " (in " + where + ")") + "; routing either reads it or does not");
      }
    }
  }
}
