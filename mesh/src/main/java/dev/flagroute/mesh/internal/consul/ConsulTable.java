package dev.flagroute.mesh.internal.consul;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.FirstMatch;
import dev.flagroute.mesh.internal.rules.Hit;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServiceName;
import dev.flagroute.mesh.internal.rules.ServiceRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consul ServiceRouters, ServiceResolvers and ServiceDefaults read for evaluation, as the Consul
 * documentation describes routing: "The first route to match in the list is terminal and stops
 * further evaluation. Traffic that fails to match any of the provided routes will be routed to the
 * default service", that is the resolver's {@code defaultSubset} ({@code (default subset)} in
 * {@link dev.flagroute.mesh.MeshRoute#rule()}). A subset reaches the version its filter names when
 * the filter is {@code Service.Meta.<version label> == "<version>"} (the value quoted with
 * {@code "} or {@code `}, or bare).
 */
final class ConsulTable implements RuleTable {
  private static final Set<String> L7_PROTOCOLS = Set.of("http", "http2", "grpc");
  private static final Pattern META_FILTER = Pattern.compile(
      "\\s*Service\\.Meta\\.([A-Za-z0-9_-]+)\\s*==\\s*(?:\"([^\"\\\\]*)\"|`([^`]*)`|([A-Za-z0-9_.-]+))\\s*");

  /** A ServiceRouter: the service it routes and its routes, in order. */
  record Router(Resource resource, ServiceName service, List<MeshRule> rules) {}

  /** A ServiceResolver: its default subset (or {@code null}) and each subset's filter. */
  record Resolver(Resource resource, String defaultSubset, Map<String, String> filters) {}

  private final List<Router> routers;
  private final Map<ServiceName, Resolver> resolvers;
  private final Map<ServiceName, String> protocols;

  ConsulTable(List<Router> routers, Map<ServiceName, Resolver> resolvers, Map<ServiceName, String> protocols) {
    this.routers = List.copyOf(routers);
    this.resolvers = Collections.unmodifiableMap(new LinkedHashMap<>(resolvers));
    this.protocols = Collections.unmodifiableMap(new LinkedHashMap<>(protocols));
  }

  /** The resolver among {@code resolvers} for {@code service}. */
  static Optional<Resolver> resolverOf(Map<ServiceName, Resolver> resolvers, ServiceName service) {
    return resolvers.entrySet().stream().filter(e -> e.getKey().sameAs(service)).map(Map.Entry::getValue)
        .findFirst();
  }

  @Override
  public boolean routes(String service) {
    return router(ServiceName.parse(service, null)).isPresent();
  }

  /**
   * The router's routes first match first, then the default subset; with a resolver but no router,
   * the default subset alone; with neither, nothing.
   */
  @Override
  public ServiceRules rulesFor(String service) {
    ServiceName wanted = ServiceName.parse(service, null);
    Optional<Router> router = router(wanted);
    Optional<Resolver> resolver = resolverOf(resolvers, wanted);
    if (router.isEmpty() && resolver.isEmpty()) {
      return request -> Optional.empty();
    }
    List<MeshRule> rules = router.map(Router::rules).orElse(List.of());
    ServiceName name = router.map(Router::service).orElseGet(() -> new ServiceName(wanted.name(),
        resolver.get().resource().namespace()));
    String host = name.namespace() == null ? name.name() : name.name() + "." + name.namespace();
    String subset = resolver.map(Resolver::defaultSubset).orElse(null);
    Hit fallback = new Hit(new MeshRule(resolver.map(r -> r.resource().label())
        .orElseGet(() -> router.get().resource().label()), "(default subset)", List.of(),
        List.of(new MeshDestination(host, subset, null, 100))), null);
    return request -> FirstMatch.hit(rules, request).or(() -> Optional.of(fallback));
  }

  @Override
  public List<MeshRule> rules() {
    return routers.stream().flatMap(r -> r.rules.stream()).toList();
  }

  /**
   * The version the subset's filter selects; or what the destination reaches instead: another
   * service, every instance (no subset), an undefined subset, or a subset filtered otherwise.
   */
  @Override
  public String versionOf(String service, MeshDestination destination, MeshOptions options) {
    ServiceName target = ServiceName.parse(destination.host(), null);
    if (!target.sameAs(ServiceName.parse(service, null))) {
      return "service " + destination.host();
    }
    if (destination.subset() == null) {
      return "every instance of " + destination.host() + " (no default subset)";
    }
    String filter = resolverOf(resolvers, target).map(r -> r.filters.get(destination.subset())).orElse(null);
    if (filter == null) {
      return "undefined subset " + destination.subset();
    }
    Matcher matcher = META_FILTER.matcher(filter);
    if (matcher.matches() && matcher.group(1).equals(options.versionLabel())) {
      return matcher.group(2) != null ? matcher.group(2) : matcher.group(3) != null ? matcher.group(3)
          : matcher.group(4);
    }
    return "subset " + destination.subset() + " (filter '" + filter + "' selects no Service.Meta."
        + options.versionLabel() + ")";
  }

  /**
   * Routes to subsets no resolver defines, default subsets their resolver lacks, routes an earlier
   * route of their router shadows, and routers of services whose ServiceDefaults name a protocol
   * that is not HTTP-based (Consul applies routers to {@code http}, {@code http2} and {@code grpc}
   * services only).
   */
  @Override
  public List<Drift> drift() {
    List<Drift> drift = new ArrayList<>();
    for (Router router : routers) {
      for (MeshRule rule : router.rules) {
        for (MeshDestination d : rule.destinations()) {
          undefinedSubset(rule.resource() + " route '" + rule.name() + "'", d, drift);
        }
      }
      String protocol = protocols.entrySet().stream().filter(e -> e.getKey().sameAs(router.service))
          .map(Map.Entry::getValue).findFirst().orElse(null);
      if (protocol != null && !L7_PROTOCOLS.contains(protocol)) {
        drift.add(new Drift(Drift.Kind.NOT_APPLIED, router.resource.label(), "the ServiceDefaults of '"
            + router.service.name() + "' set protocol '" + protocol + "'; Consul applies ServiceRouters only to"
            + " services whose protocol is http, http2 or grpc", "every request to " + router.service.name()
            + ": none of the router's routes apply"));
      }
      for (int j = 1; j < router.rules.size(); j++) {
        MeshRule later = router.rules.get(j);
        FirstMatch.shadowOf(router.rules.subList(0, j), later).ifPresent(shadow -> drift.add(new Drift(
            Drift.Kind.SHADOWED, later.resource() + " route '" + later.name() + "'",
            "can never match: route '" + shadow.name() + "' comes first and matches every request it does",
            "the " + later.requests() + ": they get route '" + shadow.name() + "' instead")));
      }
    }
    for (Resolver resolver : resolvers.values()) {
      if (resolver.defaultSubset != null && !resolver.filters.containsKey(resolver.defaultSubset)) {
        drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, resolver.resource.label(), "its defaultSubset '"
            + resolver.defaultSubset + "' is not among its subsets " + resolver.filters.keySet(),
            "every request to " + resolver.resource.name() + " that no ServiceRouter route matches"));
      }
    }
    return drift;
  }

  private void undefinedSubset(String where, MeshDestination d, List<Drift> drift) {
    ServiceName target = ServiceName.parse(d.host(), null);
    if (d.subset() != null && resolverOf(resolvers, target).map(r -> !r.filters.containsKey(d.subset()))
        .orElse(true)) {
      drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, where, "routes to subset '" + d.subset() + "' of service '"
          + d.host() + "', which no ServiceResolver defines", "the requests the route matches"));
    }
  }

  private Optional<Router> router(ServiceName service) {
    return routers.stream().filter(r -> r.service.sameAs(service)).findFirst();
  }
}
