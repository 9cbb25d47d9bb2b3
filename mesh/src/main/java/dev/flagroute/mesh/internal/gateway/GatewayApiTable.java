package dev.flagroute.mesh.internal.gateway;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.internal.rules.Hit;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServiceName;
import dev.flagroute.mesh.internal.rules.ServiceRules;
import dev.flagroute.mesh.internal.rules.ServiceSelectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gateway API HTTPRoutes and GRPCRoutes attached to Services (GAMMA) read for evaluation, with
 * every match ranked by the specified precedence. HTTPRoute: exact path, then longest prefix
 * (a regular-expression path ranks below both), then a method match, then most header matches,
 * then most query matches. GRPCRoute: most characters of matched service, then of method, then
 * most header matches. Ties: oldest route, then {@code namespace/name}, then rule and match order.
 * GRPCRoutes answer gRPC requests ({@code content-type: application/grpc...}) when a service has
 * both kinds.
 */
final class GatewayApiTable implements RuleTable {
  private static final Comparator<Ranked> PRECEDENCE = Comparator
      .comparing((Ranked r) -> r.specificity, GatewayApiTable::descending)
      .thenComparing(r -> r.route, Resource.AGE_THEN_NAME)
      .thenComparingInt(r -> r.ruleIndex)
      .thenComparingInt(r -> r.matchIndex);

  /** One match of one rule with what ranks it. */
  record Ranked(MeshRule rule, MeshRule.Match match, int[] specificity, Resource route, int ruleIndex,
      int matchIndex) {}

  /** A route with the Services it attaches to. */
  record Route(Resource resource, boolean grpc, List<Parent> parents, List<MeshRule> rules, List<Ranked> ranked) {}

  /**
   * A Service a route attaches to.
   *
   * @param port the port of the Service the route applies to, or {@code null} for all of them
   */
  record Parent(ServiceName service, Integer port) {
    boolean sameAs(ServiceName other) {
      return service.sameAs(other);
    }
  }

  private final List<Route> routes;
  /** Selectors of the v1 Services among the documents. */
  private final ServiceSelectors services;

  GatewayApiTable(List<Route> routes, ServiceSelectors services) {
    this.routes = List.copyOf(routes);
    this.services = services;
  }

  @Override
  public boolean routes(String service) {
    ServiceName wanted = ServiceName.parse(service, null);
    return routes.stream().anyMatch(r -> r.parents.stream().anyMatch(p -> p.sameAs(wanted)));
  }

  @Override
  public ServiceRules rulesFor(String service) {
    List<Ranked> http = rankedFor(service, false);
    List<Ranked> grpc = rankedFor(service, true);
    return request -> {
      List<Ranked> ranked = http.isEmpty() || !grpc.isEmpty() && isGrpc(request) ? grpc : http;
      for (Ranked candidate : ranked) {
        if (candidate.match.test(request)) {
          return Optional.of(new Hit(candidate.rule, candidate.match));
        }
      }
      return Optional.empty();
    };
  }

  @Override
  public List<MeshRule> rules() {
    return routes.stream().flatMap(r -> r.rules.stream()).toList();
  }

  /** The version label the backend's Service selects; see {@link ServiceSelectors#versionOf}. */
  @Override
  public String versionOf(String service, MeshDestination destination, MeshOptions options) {
    return services.versionOf(service, destination.host(), options);
  }

  /**
   * Backends and mirrors naming Services the documents do not define (when they define any), then rules that
   * never win because a higher-ranked match of the same parent matches whatever they match.
   */
  @Override
  public List<Drift> drift() {
    List<Drift> drift = new ArrayList<>();
    if (!services.isEmpty()) {
      for (Route route : routes) {
        for (MeshRule rule : route.rules) {
          for (MeshDestination d : rule.destinations()) {
            undefinedService(rule, "routes to", d.host(), route, drift);
          }
          for (MeshMirror m : rule.mirrors()) {
            undefinedService(rule, "mirrors to", m.host(), route, drift);
          }
        }
      }
    }
    Set<String> reported = new HashSet<>();
    for (Route route : routes) {
      for (Parent parent : route.parents) {
        ServiceName name = parent.service();
        String service = name.namespace() == null ? name.name() : name.name() + "." + name.namespace();
        shadowed(rankedFor(service, route.grpc)).forEach((rule, shadow) -> {
          if (reported.add(rule.resource() + "/" + rule.name())) {
            drift.add(new Drift(Drift.Kind.SHADOWED, rule.resource() + " rule '" + rule.name() + "'",
                "never wins: rule '" + shadow.name() + "' of " + shadow.resource()
                    + " ranks before it and matches every request it does", "the " + rule.requests()
                    + " to " + service + ": they get rule '" + shadow.name() + "' instead"));
          }
        });
      }
    }
    return drift;
  }

  /**
   * Parent ports of routes attached to {@code service}, and backend and mirror ports of their
   * rules, other than {@code port} (when configured), or not among the ports their Service exposes
   * (when the documents define it).
   */
  @Override
  public List<Drift> portDrift(String service, Integer port) {
    ServiceName wanted = ServiceName.parse(service, null);
    List<Drift> drift = new ArrayList<>();
    for (Route route : routes) {
      Parent parent = route.parents.stream().filter(p -> p.sameAs(wanted)).findFirst().orElse(null);
      if (parent == null) {
        continue;
      }
      String host = parent.service().namespace() == null ? parent.service().name()
          : parent.service().name() + "." + parent.service().namespace();
      wrongPort(route.resource.label(), "attaches to", host, parent.port(), port, route,
          "every request to " + host + ": the route attaches to another port, so none of its rules apply", drift);
      for (MeshRule rule : route.rules) {
        String where = rule.resource() + " rule '" + rule.name() + "'";
        String requests = "the " + rule.requests() + " to " + host;
        rule.destinations().forEach(d -> wrongPort(where, "routes to", d.host(), d.port(), port, route, requests,
            drift));
        rule.mirrors().forEach(m -> wrongPort(where, "mirrors to", m.host(), m.port(), port, route,
            requests + " (their copies)", drift));
      }
    }
    return drift;
  }

  private void wrongPort(String where, String verb, String host, Integer actual, Integer port, Route route,
      String affects, List<Drift> drift) {
    if (actual == null) {
      if (!verb.equals("attaches to")) {
        drift.add(new Drift(Drift.Kind.WRONG_PORT, where, verb + " Service '" + host + "' without a port, which"
            + " Gateway API requires of a Service backendRef (the API server rejects the route)", affects));
      }
      return;
    }
    if (port != null && !actual.equals(port)) {
      drift.add(new Drift(Drift.Kind.WRONG_PORT, where, verb + " port " + actual + " of Service '" + host
          + "', but the service's port is " + port, affects));
    }
    List<Integer> exposed = services.ports(host, route.resource.namespace());
    if (exposed != null && !exposed.contains(actual)) {
      drift.add(new Drift(Drift.Kind.WRONG_PORT, where, verb + " port " + actual + " of Service '" + host
          + "', which exposes only " + exposed, affects));
    }
  }

  private void undefinedService(MeshRule rule, String verb, String host, Route route, List<Drift> drift) {
    if (!services.defines(host, route.resource.namespace())) {
      drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, rule.resource() + " rule '" + rule.name() + "'",
          verb + " Service '" + host + "', which the given files do not define", "the " + rule.requests()
          + (verb.equals("mirrors to") ? " (their copies)" : "")));
    }
  }

  /** Each rule none of whose matches can win, with a rule ranked before it that covers one of them. */
  private static Map<MeshRule, MeshRule> shadowed(List<Ranked> ranked) {
    Map<MeshRule, MeshRule> shadowedBy = new LinkedHashMap<>();
    Set<MeshRule> reachable = new HashSet<>();
    for (int p = 0; p < ranked.size(); p++) {
      Ranked candidate = ranked.get(p);
      MeshRule shadow = null;
      for (int q = 0; q < p && shadow == null; q++) {
        if (candidate.match.implies(ranked.get(q).match)) {
          shadow = ranked.get(q).rule;
        }
      }
      if (shadow == null) {
        reachable.add(candidate.rule);
      } else {
        shadowedBy.putIfAbsent(candidate.rule, shadow);
      }
    }
    shadowedBy.keySet().removeAll(reachable);
    return shadowedBy;
  }

  /** The ranked matches of routes of one kind attached to {@code service}, most specific first. */
  private List<Ranked> rankedFor(String service, boolean grpc) {
    ServiceName wanted = ServiceName.parse(service, null);
    List<Ranked> ranked = new ArrayList<>();
    for (Route route : routes) {
      if (route.grpc == grpc && route.parents.stream().anyMatch(p -> p.sameAs(wanted))) {
        ranked.addAll(route.ranked);
      }
    }
    ranked.sort(PRECEDENCE);
    return List.copyOf(ranked);
  }

  private static boolean isGrpc(MeshRequest request) {
    String contentType = request.header("content-type");
    return contentType != null && contentType.startsWith("application/grpc");
  }

  private static int descending(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(b[i], a[i]);
      }
    }
    return 0;
  }
}
