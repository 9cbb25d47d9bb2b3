package dev.flagroute.mesh.internal.check;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.internal.rules.Condition;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the header conditions of rules, one rule at a time, against what the codec stamps: a
 * name the format can never match ({@link RuleFormat#headerNameProblem}), a value no variant
 * produces, a codec header of no flag, and a name that looks like a flag header but is not the
 * codec's. Each finding is reported once per rule; a look-alike flag header also states what the routing check
 * attributes to it ({@link MisnamedHeaders}). Immutable. Internal to flagroute-mesh.
 */
public final class HeaderCheck {
  private final FlagRoutes routes;
  private final HeaderCodec codec;
  private final StampedRequests stamps;
  private final Set<String> flagHeaders;

  /**
   * A check against {@code routes} stamped by {@code codec} into {@code stamps}.
   *
   * @param flagHeaders the header names the codec writes for the routes
   */
  public HeaderCheck(FlagRoutes routes, HeaderCodec codec, StampedRequests stamps, Set<String> flagHeaders) {
    this.routes = routes;
    this.codec = codec;
    this.stamps = stamps;
    this.flagHeaders = Set.copyOf(flagHeaders);
  }

  /**
   * The rules whose header conditions match under a name that looks like a flag header (of a given flag or not)
   * but is not the codec's, for the routing check to attribute what they do to one finding.
   */
  public MisnamedHeaders misnamed(List<MeshRule> rules) {
    MisnamedHeaders misnamed = new MisnamedHeaders();
    for (MeshRule rule : rules) {
      for (MeshRule.Match match : rule.matches()) {
        for (Condition condition : match.conditions()) {
          if (condition instanceof Condition.Header header && !header.inverted()) {
            String lower = header.name().toLowerCase(Locale.ROOT);
            if (lookalike(lower) != null && !flagHeaders.contains(lower) && !codec.owns(lower)) {
              FlagRoute flag = flagsHeaderLookalike(lower);
              misnamed.add(rule, header.name(), flag == null ? null : flag.key());
            }
          }
        }
      }
    }
    return misnamed;
  }

  /**
   * Adds to {@code drift} what is wrong with the header conditions of {@code rule}, read in {@code format}; a
   * header that looks like a flag's states what {@code misnamed} attributes to it.
   */
  public void check(MeshRule rule, RuleFormat format, MisnamedHeaders misnamed, List<Drift> drift) {
    Set<String> reported = new HashSet<>();
    String where = rule.resource() + " rule '" + rule.name() + "'";
    String consequences = misnamed.consequences(rule);
    for (MeshRule.Match match : rule.matches()) {
      for (Condition condition : match.conditions()) {
        if (condition instanceof Condition.Header header) {
          check(header, format, where, "the " + rule.requests() + ", which the rule is meant for", reported, drift,
              reported.contains("consequences") ? "" : consequences);
        }
      }
    }
  }

  private void check(Condition.Header header, RuleFormat format, String where, String meant, Set<String> reported,
      List<Drift> drift, String consequences) {
    String name = header.name();
    String lower = name.toLowerCase(Locale.ROOT);
    format.headerNameProblem(name).filter(problem -> reported.add("name " + name)).ifPresent(problem -> drift.add(
        new Drift(Drift.Kind.HEADER_NAME, where, problem + (flagHeaders.contains(lower) && !lower.equals(name)
            ? "; the codec writes '" + lower + "'" : ""), meant + ": it matches none of them")));
    if (flagHeaders.contains(lower)) {
      Set<String> values = stamps.values(lower);
      if (!header.inverted() && values.stream().noneMatch(v -> header.match().test(v))
          && reported.add("value " + lower + header.match())) {
        drift.add(new Drift(Drift.Kind.UNKNOWN_VALUE, where, "header '" + lower + "' must match " + header.match()
            + ", which no variant produces" + (values.size() <= 12 ? " (stamped values: " + sorted(values) + ")" : ""),
            "the stamped requests with header '" + lower + "', which the rule was presumably meant for: it matches"
                + " none of them"));
      }
    } else if (codec.owns(lower)) {
      if (reported.add("flag " + lower)) {
        drift.add(new Drift(Drift.Kind.UNKNOWN_FLAG, where, "header '" + lower
            + "' belongs to the codec but to no flag of the routes; flag headers are " + sorted(flagHeaders),
            "requests carrying header '" + lower + "', which no router stamps for these routes"));
      }
    } else {
      String lookalike = lookalike(lower);
      if (lookalike != null && reported.add("lookalike " + lower)) {
        if (!consequences.isEmpty()) {
          reported.add("consequences");
        }
        drift.add(new Drift(Drift.Kind.HEADER_NAME, where, "header '" + lower + "' looks like " + lookalike
            + ", but the codec writes " + sorted(flagHeaders), "the flagged requests the rule was presumably meant"
            + " for: they carry " + sorted(flagHeaders) + " instead, so it matches none of them" + consequences));
      }
    }
  }

  /** What a non-codec header seems to carry, or {@code null} if it does not look like a flag header. */
  private String lookalike(String header) {
    FlagRoute flag = flagsHeaderLookalike(header);
    if (flag != null) {
      return "the header of flag '" + flag.key() + "'";
    }
    return header.contains("flag") || header.contains("feature") ? "a flag header" : null;
  }

  /** The flag whose header {@code header} (lowercase) seems to be, such as {@code x-feature-ratings}, or null. */
  private FlagRoute flagsHeaderLookalike(String header) {
    for (FlagRoute route : routes) {
      String key = route.key().toLowerCase(Locale.ROOT);
      if (header.equals(key) || header.endsWith("-" + key) || header.endsWith("_" + key)
          || header.endsWith("." + key)) {
        return route;
      }
    }
    return null;
  }

  private static String sorted(Set<String> values) {
    return new TreeSet<>(values).toString();
  }
}
