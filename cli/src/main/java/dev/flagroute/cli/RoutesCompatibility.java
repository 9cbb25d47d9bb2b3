package dev.flagroute.cli;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.ServiceRoutes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a change from one set of routes to another is safe in any deployment order, and if not,
 * which order keeps every hop consistent. The rule behind each order: a hop that meets a variant
 * it has no rule for routes the request to the default version, so whatever can newly appear on
 * the wire (a variant, a flag) needs its mesh rules and relays before the edge starts deciding it,
 * and whatever disappears must stop being decided at the edge before the rules and relays forget
 * it.
 */
final class RoutesCompatibility {
  /** When the parts of a fleet must take a change. */
  enum Order {
    /** Any order keeps every hop consistent. */
    ANY("any order"),
    /** Mesh rules and relays first, then the edge. */
    EDGE_LAST("mesh rules and relays first, then the edge"),
    /** The edge first, then relays and mesh rules. */
    EDGE_FIRST("the edge first, then relays and mesh rules"),
    /** The new version's workloads first, then mesh rules and relays; the edge in any order. */
    WORKLOADS_FIRST("workloads with the new version label first, then mesh rules and relays; the edge in any order"),
    /** Mesh rules and relays at once (one apply); the edge in any order. */
    RULES_WITH_RELAYS("mesh rules and relays in one step; the edge in any order");

    private final String text;

    Order(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** One difference between the routes and the order it needs. */
  record Finding(String flag, String change, Order order, String why) {
    @Override
    public String toString() {
      return "flag '" + flag + "': " + change + ": " + order + " (" + why + ")";
    }
  }

  private RoutesCompatibility() {}

  /** Every difference from {@code before} to {@code after}, in the order of their flags. */
  static List<Finding> compare(FlagRoutes before, FlagRoutes after) {
    List<Finding> findings = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    before.asList().forEach(route -> keys.add(route.key()));
    after.asList().forEach(route -> keys.add(route.key()));
    for (String key : keys) {
      FlagRoute old = before.get(key);
      FlagRoute now = after.get(key);
      if (old == null) {
        findings.add(new Finding(key, "flag added", Order.EDGE_LAST, "until every hop has its rules, a request the"
            + " edge decides a non-default variant for reaches the default version"));
      } else if (now == null) {
        findings.add(new Finding(key, "flag removed", Order.EDGE_FIRST, "while the edge still decides it, hops"
            + " that forgot it send its non-default variants to the default version"));
      } else {
        compare(old, now, findings);
      }
    }
    for (ServiceRoutes service : after.serviceRoutes()) {
      ServiceRoutes was = before.service(service.service());
      if (was != null && !sameOrder(was, service)) {
        findings.add(new Finding(service.flags().get(0).key(), "precedence of the flags steering service '"
            + service.service() + "' changed", Order.RULES_WITH_RELAYS, "a request carrying several of them may"
            + " reach another version; rules and relays must agree on which flag decides"));
      }
    }
    return findings;
  }

  private static void compare(FlagRoute old, FlagRoute now, List<Finding> findings) {
    String key = now.key();
    for (String variant : now.variants().keySet()) {
      if (!old.hasVariant(variant)) {
        findings.add(new Finding(key, "variant '" + variant + "' added", Order.EDGE_LAST, "a hop that does not"
            + " know it yet forwards it, but its mesh rules send the request to the default version"));
      } else if (!Objects.equals(old.versionOf(variant), now.versionOf(variant))) {
        findings.add(new Finding(key, "variant '" + variant + "' moves from version '" + old.versionOf(variant)
            + "' to '" + now.versionOf(variant) + "'", Order.WORKLOADS_FIRST, "rules must not point at a version no"
            + " workload serves"));
      }
    }
    for (String variant : old.variants().keySet()) {
      if (!now.hasVariant(variant)) {
        findings.add(new Finding(key, "variant '" + variant + "' removed", Order.EDGE_FIRST, "while the edge"
            + " still decides it, hops that forgot it send it to the default version"));
      }
    }
    if (!old.defaultVariant().equals(now.defaultVariant())) {
      findings.add(new Finding(key, "default variant changed from '" + old.defaultVariant() + "' to '"
          + now.defaultVariant() + "'", Order.RULES_WITH_RELAYS, "requests carrying no decision take the default"
          + " of the hop they are on; stamped requests are unaffected"));
    }
    if (!old.service().equals(now.service())) {
      findings.add(new Finding(key, "moves from service '" + old.service() + "' to '" + now.service() + "'",
          Order.RULES_WITH_RELAYS, "the old service's rules stop matching as the new one's start"));
    }
    if (!Objects.equals(old.mirrors(), now.mirrors())) {
      findings.add(new Finding(key, "mirrors changed", Order.ANY, "mirrored copies are thrown away; only the"
          + " share copied changes"));
    }
  }

  private static boolean sameOrder(ServiceRoutes was, ServiceRoutes now) {
    List<String> before = was.flags().stream().map(FlagRoute::key).filter(key -> contains(now, key)).toList();
    List<String> after = now.flags().stream().map(FlagRoute::key).filter(key -> contains(was, key)).toList();
    return before.equals(after);
  }

  private static boolean contains(ServiceRoutes service, String key) {
    return service.flags().stream().anyMatch(route -> route.key().equals(key));
  }

  /** The orders {@code findings} need, without {@link Order#ANY}. */
  static Set<Order> needs(List<Finding> findings) {
    Set<Order> orders = EnumSet.noneOf(Order.class);
    findings.stream().map(Finding::order).filter(order -> order != Order.ANY).forEach(orders::add);
    return orders;
  }
}
