package dev.flagroute.mesh.check;

import dev.flagroute.context.FlagContext;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.rules.Condition;
import dev.flagroute.mesh.rules.Hit;
import dev.flagroute.mesh.rules.ResourceKind;
import dev.flagroute.mesh.rules.RuleFormat;
import dev.flagroute.mesh.rules.RuleTable;
import dev.flagroute.mesh.rules.ServicePlan;
import dev.flagroute.mesh.rules.ServiceRules;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.Mirror;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks routing by evaluation, in any format: each {@link StampedRequests stamped request} for a
 * service must reach exactly the version the precedence rule names. A request that a flag rule
 * sends elsewhere is {@link Drift.Kind#WRONG_VERSION}; one that no flag rule takes is
 * {@link Drift.Kind#MISSING_RULE}. A request that reaches its version must be mirrored exactly as
 * the deciding variant says: to its mirror's version with its percentage, or not at all
 * ({@link Drift.Kind#MISSING_MIRROR}, {@link Drift.Kind#WRONG_MIRROR}). At most
 * {@value #MAX_REPORTS_PER_SERVICE} requests are reported per service, then a count. Immutable.
 * Internal to flagroute-mesh.
 */
public final class RoutingCheck {
  private static final int MAX_REPORTS_PER_SERVICE = 10;

  private final StampedRequests stamps;
  private final Set<String> flagHeaders;
  private final MeshOptions options;

  /**
   * A check sending {@code stamps} through rules.
   *
   * @param flagHeaders the header names the codec writes for the routes
   * @param options the version label subsets and Services select on
   */
  public RoutingCheck(StampedRequests stamps, Set<String> flagHeaders, MeshOptions options) {
    this.stamps = stamps;
    this.flagHeaders = Set.copyOf(flagHeaders);
    this.options = options;
  }

  /** Adds to {@code drift} every way {@code table}, read in {@code format}, routes {@code plan}'s service wrongly. */
  public void check(RuleFormat format, RuleTable table, ServicePlan plan, List<Drift> drift) {
    String where = "service " + plan.service() + " (" + format.id() + ")";
    if (!table.routes(plan.service())) {
      drift.add(new Drift(Drift.Kind.MISSING_RULE, where, "no " + ResourceKind.anyOf(format.routingKinds())
          + " routes it"));
      return;
    }
    ServiceRules rules = table.rulesFor(plan.service());
    int reported = 0;
    int more = 0;
    for (StampedRequests.Stamp stamp : stamps.of(plan)) {
      Optional<Hit> hit = rules.hit(stamp.request());
      Drift found = hit.isPresent() ? mirrorDrift(table, plan, stamp, hit.get(), where) : null;
      Set<String> actual = hit.map(h -> table.versions(plan.service(), h.rule(), options)).orElse(Set.of());
      if (!actual.equals(Set.of(stamp.expected()))) {
        found = versionDrift(plan, stamp, hit, actual, where);
      }
      if (found == null) {
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
      drift.add(new Drift(Drift.Kind.WRONG_VERSION, where, "and " + more + " more requests routed differently"));
    }
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
                ? " (the first non-default flag in declaration order wins)" : ""));
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
          + ", but the routes mirror " + percent(wanted.percent()) + " of it to " + wanted.version());
    }
    List<String> actual = mirrors.stream()
        .map(m -> table.versionOf(plan.service(), m, options) + " (" + percent(m.percent()) + ")").toList();
    return new Drift(Drift.Kind.WRONG_MIRROR, where, request + " is mirrored to " + String.join(" and ", actual)
        + " by " + rule + ", but the routes " + (wanted == null ? "mirror none of it"
            : "mirror " + percent(wanted.percent()) + " of it to " + wanted.version()));
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
