package dev.flagroute.mesh.internal.check;

import dev.flagroute.context.FlagContext;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Condition;
import dev.flagroute.mesh.internal.rules.Hit;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.mesh.internal.rules.ServiceRules;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.Mirror;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks routing by evaluation, in any format: each {@link StampedRequests stamped request} for a
 * service must reach exactly the version the precedence rule names. A request that a flag rule
 * sends elsewhere is {@link Drift.Kind#WRONG_VERSION}; one that no flag rule takes is
 * {@link Drift.Kind#MISSING_RULE}. A request that reaches its version must be mirrored exactly as
 * the deciding variant says: to its mirror's version with its percentage, or not at all
 * ({@link Drift.Kind#MISSING_MIRROR}, {@link Drift.Kind#WRONG_MIRROR}). At most
 * {@value #MAX_REPORTS_PER_SERVICE} requests are reported per service, then a count.
 *
 * <p>Stamped requests, flagged or not, are also sent as every {@link Witnesses witness} of the
 * rules: with the method, path, query and other headers that rules match on besides flag headers.
 * A rule that takes such a request elsewhere than a {@code GET /} with the same flags goes is
 * {@link Drift.Kind#CAPTURED} (once per rule, with an example and a count), and a rule that injects
 * faults into flagged requests is {@link Drift.Kind#FAULT}. What a rule matching a flag under a header name the
 * codec does not write explains ({@link MisnamedHeaders}) is left to that one finding. Immutable. Internal to
 * flagroute-mesh.
 */
public final class RoutingCheck {
  private static final int MAX_REPORTS_PER_SERVICE = 10;

  private final StampedRequests stamps;
  private final Set<String> flagHeaders;
  private final Predicate<String> codecHeader;
  private final MeshOptions options;

  /**
   * A check sending {@code stamps} through rules.
   *
   * @param flagHeaders the header names the codec writes for the routes
   * @param codecHeader whether the codec owns a header name (lowercase), flag of the routes or not:
   *     conditions on such headers are not witnessed
   * @param options the version label subsets and Services select on
   */
  public RoutingCheck(StampedRequests stamps, Set<String> flagHeaders, Predicate<String> codecHeader,
      MeshOptions options) {
    this.stamps = stamps;
    this.flagHeaders = Set.copyOf(flagHeaders);
    this.codecHeader = codecHeader;
    this.options = options;
  }

  /**
   * Adds to {@code drift} every way {@code table}, read in {@code format}, routes {@code plan}'s service wrongly,
   * except what a {@code misnamed} header explains: that is handed to {@code misnamed}, to be reported once.
   */
  public void check(RuleFormat format, RuleTable table, ServicePlan plan, MisnamedHeaders misnamed,
      List<Drift> drift) {
    String where = "service " + plan.service() + " (" + format.id() + ")";
    if (!table.routes(plan.service())) {
      drift.add(new Drift(Drift.Kind.MISSING_RULE, where, "no " + ResourceKind.anyOf(format.routingKinds())
          + " routes it", "every request to " + plan.service()));
      return;
    }
    ServiceRules rules = table.rulesFor(plan.service());
    int reported = 0;
    int more = 0;
    List<StampedRequests.Stamp> routedRight = new ArrayList<>();
    Map<MeshRule, String> faults = new LinkedHashMap<>();
    for (StampedRequests.Stamp stamp : stamps.of(plan)) {
      Optional<Hit> hit = rules.hit(stamp.request());
      boolean flagged = plan.routes().decidingFlag(flag -> stamp.context().variant(flag.key())).isPresent();
      if (flagged && hit.isPresent() && hit.get().rule().fault() != null) {
        faults.putIfAbsent(hit.get().rule(), stamp.expected());
      }
      Drift found = hit.isPresent() ? mirrorDrift(table, plan, stamp, hit.get(), where) : null;
      Set<String> actual = hit.map(h -> table.versions(plan.service(), h.rule(), options)).orElse(Set.of());
      if (!actual.equals(Set.of(stamp.expected()))) {
        found = versionDrift(plan, stamp, hit, actual, where);
      }
      if (found == null) {
        routedRight.add(stamp);
        continue;
      }
      Optional<MeshRule> cause = misnamed.explaining(rules, stamp, h -> routesRight(table, plan, stamp, h, where));
      if (cause.isPresent()) {
        misnamed.explain(cause.get(), affects(plan, stamp) + (actual.equals(Set.of(stamp.expected()))
            ? " are not mirrored as the routes say" : " " + reached(hit, actual) + ", not " + stamp.expected()));
        continue;
      }
      if (reported == MAX_REPORTS_PER_SERVICE) {
        more++;
        continue;
      }
      reported++;
      drift.add(found);
    }
    if (more > 0) {
      drift.add(new Drift(Drift.Kind.WRONG_VERSION, where, "and " + more + " more requests routed differently",
          more + " more combinations of flag variants to " + plan.service()));
    }
    faults.forEach((rule, version) -> drift.add(new Drift(Drift.Kind.FAULT, rule.resource() + " rule '" + rule.name()
        + "'", "injects faults (" + rule.fault() + ") into requests the routes send to " + version,
        "flagged requests to " + plan.service() + " that it takes: " + rule.requests())));
    captures(table, plan, rules, routedRight, where, misnamed, drift);
  }

  private boolean routesRight(RuleTable table, ServicePlan plan, StampedRequests.Stamp stamp, Hit hit,
      String where) {
    return table.versions(plan.service(), hit.rule(), options).equals(Set.of(stamp.expected()))
        && mirrorDrift(table, plan, stamp, hit, where) == null;
  }

  /** {@code go to v2}, {@code go to no destination} or {@code match no rule}. */
  private static String reached(Optional<Hit> hit, Set<String> actual) {
    return hit.isEmpty() ? "match no rule" : "go to " + (actual.isEmpty() ? "no destination" : String.join(" + ", actual));
  }

  /**
   * The stamped requests, flagged or not, each routed right as {@code GET /}, that witnesses of
   * other conditions send elsewhere.
   */
  private void captures(RuleTable table, ServicePlan plan, ServiceRules rules, List<StampedRequests.Stamp> stamped,
      String where, MisnamedHeaders misnamed, List<Drift> drift) {
    Map<String, String> firstByRule = new LinkedHashMap<>();
    Map<String, Integer> countByRule = new LinkedHashMap<>();
    Map<String, Set<String>> witnessesByRule = new LinkedHashMap<>();
    for (Witnesses.Witness witness : Witnesses.of(table.rules(), codecHeader)) {
      for (StampedRequests.Stamp stamp : stamped) {
        Optional<Hit> hit = rules.hit(witness.with(stamp.request()));
        Set<String> actual = hit.map(h -> table.versions(plan.service(), h.rule(), options)).orElse(Set.of());
        if (actual.equals(Set.of(stamp.expected()))) {
          continue;
        }
        if (hit.isPresent() && misnamed.explains(hit.get().rule(), witness)) {
          misnamed.explain(hit.get().rule(), "requests to " + plan.service() + " sent as " + witness + " "
              + reached(hit, actual) + ", with or without flag headers");
          continue;
        }
        String rule = hit.map(h -> "rule '" + h.rule().name() + "' of " + h.rule().resource()).orElse("no rule");
        countByRule.merge(rule, 1, Integer::sum);
        witnessesByRule.computeIfAbsent(rule, r -> new LinkedHashSet<>()).add(witness.toString());
        firstByRule.putIfAbsent(rule, "a request with " + describe(plan, stamp.context()) + " to " + witness
            + (hit.isEmpty() ? " matches no rule" : " goes to " + (actual.isEmpty() ? "no destination"
                : String.join(" + ", actual))) + ", but the routes send it to " + stamp.expected());
      }
    }
    firstByRule.forEach((rule, example) -> {
      int more = countByRule.get(rule) - 1;
      List<String> sent = List.copyOf(witnessesByRule.get(rule));
      drift.add(new Drift(Drift.Kind.CAPTURED, where, (rule.equals("no rule")
          ? "requests with the methods, paths or headers other rules match on match no rule: "
          : rule + " matches on something other than flag headers and takes requests from the version the routes"
              + " name: ") + example + (more > 0 ? " (and " + more + " more such requests)" : ""),
          "requests to " + plan.service() + " sent as " + String.join(" or ", sent.subList(0, Math.min(3, sent.size())))
              + (sent.size() > 3 ? " or " + (sent.size() - 3) + " more" : "") + ", with or without flag headers"));
    });
  }

  private Drift versionDrift(ServicePlan plan, StampedRequests.Stamp stamp, Optional<Hit> hit, Set<String> actual,
      String where) {
    boolean flagRule = hit.isPresent() && hit.get().match() != null && hit.get().match().conditions().stream()
        .anyMatch(c -> c instanceof Condition.Header h && flagHeaders.contains(h.name()));
    String reached = hit.map(h -> "goes to " + (actual.isEmpty() ? "no destination" : String.join(" + ", actual))
        + " by rule '" + h.rule().name() + "' of " + h.rule().resource()).orElse("matches no rule");
    return new Drift(flagRule ? Drift.Kind.WRONG_VERSION : Drift.Kind.MISSING_RULE, where,
        "a request with " + describe(plan, stamp.context()) + " " + reached + ", but the routes send it to "
            + stamp.expected() + (active(plan, stamp.context()) > 1
                ? " (the first non-default flag in declaration order wins)" : ""), affects(plan, stamp));
  }

  /** The drift between how the hit rule mirrors the stamped request and how the routes do, or {@code null}. */
  private Drift mirrorDrift(RuleTable table, ServicePlan plan, StampedRequests.Stamp stamp, Hit hit, String where) {
    List<MeshMirror> mirrors = hit.rule().mirrors();
    Mirror wanted = stamp.mirror();
    if (wanted == null ? mirrors.isEmpty() : mirrors.size() == 1 && wanted.version().equals(
        table.versionOf(plan.service(), mirrors.get(0), options)) && wanted.percent() == mirrors.get(0).percent()) {
      return null;
    }
    String request = "a request with " + describe(plan, stamp.context());
    String rule = "rule '" + hit.rule().name() + "' of " + hit.rule().resource();
    if (mirrors.isEmpty()) {
      return new Drift(Drift.Kind.MISSING_MIRROR, where, request + " is not mirrored by " + rule
          + ", but the routes mirror " + percent(wanted.percent()) + " of it to " + wanted.version(),
          affects(plan, stamp));
    }
    List<String> actual = mirrors.stream()
        .map(m -> table.versionOf(plan.service(), m, options) + " (" + percent(m.percent()) + ")").toList();
    return new Drift(Drift.Kind.WRONG_MIRROR, where, request + " is mirrored to " + String.join(" and ", actual)
        + " by " + rule + ", but the routes " + (wanted == null ? "mirror none of it"
            : "mirror " + percent(wanted.percent()) + " of it to " + wanted.version()), affects(plan, stamp));
  }

  /** {@code requests to reviews with checkout=v2, stars=off}: the stamped request's service and variants. */
  private static String affects(ServicePlan plan, StampedRequests.Stamp stamp) {
    return "requests to " + plan.service() + " with " + describe(plan, stamp.context());
  }

  private static String percent(double percent) {
    return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
  }

  private static long active(ServicePlan plan, FlagContext context) {
    return plan.routes().flags().stream().filter(f -> context.variant(f.key()) != null
        && !context.variant(f.key()).equals(f.defaultVariant())).count();
  }

  private static String describe(ServicePlan plan, FlagContext context) {
    if (context.isEmpty()) {
      return "no flag headers";
    }
    List<String> parts = new ArrayList<>();
    for (FlagRoute flag : plan.routes().flags()) {
      parts.add(flag.key() + "=" + context.variant(flag.key()));
    }
    return String.join(", ", parts);
  }
}
