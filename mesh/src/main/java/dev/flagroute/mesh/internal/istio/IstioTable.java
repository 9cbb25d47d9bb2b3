package dev.flagroute.mesh.internal.istio;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.FirstMatch;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServiceName;
import dev.flagroute.mesh.internal.rules.ServiceRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio VirtualServices and DestinationRules read for evaluation, as sidecars apply them: of the
 * VirtualServices bound to the mesh that name one host, only the oldest (then by
 * {@code namespace/name}) is used, since Istio merges VirtualServices of one host only for
 * gateways, and reports the others as a conflict ({@code istioctl analyze} IST0109,
 * istio.io/latest/docs/reference/config/analysis/ist0109; istio/istio#10464: "istio will match
 * virtualservices by creation timestamp"). Its rules are evaluated first match first; an exact
 * host beats a wildcard, the longest wildcard first.
 */
final class IstioTable implements RuleTable {
  /** A VirtualService bound to the mesh, with its parsed rules. */
  record VirtualService(Resource resource, List<String> hosts, List<MeshRule> rules) {}

  /** A DestinationRule: its host and each subset's labels. */
  record DestinationRule(Resource resource, String host, Map<String, Map<String, String>> subsets) {}

  private final List<VirtualService> virtualServices;
  private final List<DestinationRule> destinationRules;

  IstioTable(List<VirtualService> virtualServices, List<DestinationRule> destinationRules) {
    List<VirtualService> sorted = new ArrayList<>(virtualServices);
    sorted.sort(Comparator.comparing(VirtualService::resource, Resource.AGE_THEN_NAME));
    this.virtualServices = List.copyOf(sorted);
    this.destinationRules = List.copyOf(destinationRules);
  }

  @Override
  public boolean routes(String service) {
    ServiceName wanted = ServiceName.parse(service, null);
    return virtualServices.stream().anyMatch(vs -> vs.hosts.stream()
        .anyMatch(h -> !h.startsWith("*") && ServiceName.parse(h, vs.resource.namespace()).sameAs(wanted)));
  }

  @Override
  public ServiceRules rulesFor(String service) {
    ServiceName wanted = ServiceName.parse(service, null);
    List<MeshRule> exact = null;
    String bestWildcard = null;
    Map<String, List<MeshRule>> byWildcard = new LinkedHashMap<>();
    for (VirtualService vs : virtualServices) {
      for (String host : vs.hosts) {
        if (host.startsWith("*")) {
          String suffix = host.substring(1);
          if (service.endsWith(suffix)) {
            byWildcard.putIfAbsent(suffix, vs.rules);
            bestWildcard = bestWildcard == null || suffix.length() > bestWildcard.length() ? suffix : bestWildcard;
          }
        } else if (exact == null && ServiceName.parse(host, vs.resource.namespace()).sameAs(wanted)) {
          exact = vs.rules;
        }
      }
    }
    List<MeshRule> rules = exact != null ? exact : bestWildcard == null ? List.of() : byWildcard.get(bestWildcard);
    return request -> FirstMatch.hit(rules, request);
  }

  /**
   * Routes and mirrors of the VirtualService used for {@code service} that name a port of it other
   * than {@code port}; none when no port is configured (DestinationRules say nothing of ports).
   */
  @Override
  public List<Drift> portDrift(String service, Integer port) {
    List<Drift> drift = new ArrayList<>();
    if (port == null) {
      return drift;
    }
    ServiceName wanted = ServiceName.parse(service, null);
    for (VirtualService vs : virtualServices) {
      if (vs.hosts.stream().anyMatch(h -> !h.startsWith("*") && ServiceName.parse(h, vs.resource.namespace())
          .sameAs(wanted))) {
        for (MeshRule rule : vs.rules) {
          for (MeshDestination d : rule.destinations()) {
            wrongPort(rule, "routes to", d.host(), d.port(), wanted, port, drift);
          }
          for (MeshMirror m : rule.mirrors()) {
            wrongPort(rule, "mirrors to", m.host(), m.port(), wanted, port, drift);
          }
        }
        break;
      }
    }
    return drift;
  }

  private static void wrongPort(MeshRule rule, String verb, String host, Integer actual, ServiceName service,
      int port, List<Drift> drift) {
    if (actual != null && actual != port && ServiceName.parse(host, null).sameAs(service)) {
      drift.add(new Drift(Drift.Kind.WRONG_PORT, rule.resource() + " rule '" + rule.name() + "'", verb + " port "
          + actual + " of host '" + host + "', but the service's port is " + port, "the " + rule.requests()
          + (verb.equals("mirrors to") ? " (their copies)" : "")));
    }
  }

  /** Hosts that several VirtualServices name: Istio uses the oldest of them only. */
  private void conflicts(List<Drift> drift) {
    Map<Object, List<VirtualService>> byHost = new LinkedHashMap<>();
    Map<Object, String> written = new LinkedHashMap<>();
    for (VirtualService vs : virtualServices) {
      for (String host : vs.hosts) {
        Object key = host.startsWith("*") ? host : ServiceName.parse(host, vs.resource.namespace());
        written.putIfAbsent(key, host);
        List<VirtualService> claimed = byHost.computeIfAbsent(key, k -> new ArrayList<>());
        if (!claimed.contains(vs)) {
          claimed.add(vs);
        }
      }
    }
    byHost.forEach((host, claimed) -> {
      if (claimed.size() > 1) {
        List<String> names = claimed.stream().map(vs -> vs.resource.namespace() == null ? vs.resource.name()
            : vs.resource.qualifiedName()).toList();
        drift.add(new Drift(Drift.Kind.CONFLICT, "host " + written.get(host) + " (istio)", "VirtualServices "
            + String.join(" and ", names) + " both route it; Istio does not merge VirtualServices of one host for"
            + " sidecars (istioctl analyze: IST0109) and uses the oldest, " + names.get(0) + ", only",
            "every request to " + written.get(host) + ": the rules of the other VirtualServices apply to none"));
      }
    });
  }

  @Override
  public List<MeshRule> rules() {
    return virtualServices.stream().flatMap(vs -> vs.rules.stream()).toList();
  }

  /** The subset's version label, or what the destination is instead: another host, no subset, an undefined subset. */
  @Override
  public String versionOf(String service, MeshDestination destination, MeshOptions options) {
    if (!ServiceName.parse(destination.host(), null).sameAs(ServiceName.parse(service, null))) {
      return "host " + destination.host();
    }
    if (destination.subset() == null) {
      return "every version (no subset)";
    }
    Map<String, String> labels = subsets(destination.host(), null).get(destination.subset());
    String version = labels == null ? null : labels.get(options.versionLabel());
    return version != null ? version : "undefined subset " + destination.subset();
  }

  /**
   * VirtualServices of one host (of which Istio uses one), routes and mirrors to subsets no
   * DestinationRule defines, then rules an earlier rule of their VirtualService shadows.
   */
  @Override
  public List<Drift> drift() {
    List<Drift> drift = new ArrayList<>();
    conflicts(drift);
    for (VirtualService vs : virtualServices) {
      for (MeshRule rule : vs.rules) {
        for (MeshDestination d : rule.destinations()) {
          undefinedSubset(rule, "routes to", d.host(), d.subset(), vs, drift);
        }
        for (MeshMirror m : rule.mirrors()) {
          undefinedSubset(rule, "mirrors to", m.host(), m.subset(), vs, drift);
        }
      }
    }
    for (VirtualService vs : virtualServices) {
      for (int j = 1; j < vs.rules.size(); j++) {
        MeshRule later = vs.rules.get(j);
        FirstMatch.shadowOf(vs.rules.subList(0, j), later).ifPresent(shadow -> drift.add(new Drift(
            Drift.Kind.SHADOWED, later.resource() + " rule '" + later.name() + "'",
            "can never match: rule '" + shadow.name() + "' comes first and matches every request it does",
            "the " + later.requests() + ": they get rule '" + shadow.name() + "' instead")));
      }
    }
    return drift;
  }

  private void undefinedSubset(MeshRule rule, String verb, String host, String subset, VirtualService vs,
      List<Drift> drift) {
    if (subset != null && !subsets(host, vs.resource.namespace()).containsKey(subset)) {
      drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, rule.resource() + " rule '" + rule.name() + "'",
          verb + " subset '" + subset + "' of host '" + host + "', which no DestinationRule defines"
              + (verb.equals("routes to") ? " (Istio answers 503)" : ""), "the " + rule.requests()
              + (verb.equals("routes to") ? "" : " (their copies)")));
    }
  }

  /** The subsets DestinationRules define for {@code host} (resolved like VirtualService hosts). */
  private Map<String, Map<String, String>> subsets(String host, String namespace) {
    ServiceName wanted = ServiceName.parse(host, namespace);
    Map<String, Map<String, String>> subsets = new LinkedHashMap<>();
    for (DestinationRule dr : destinationRules) {
      if (ServiceName.parse(dr.host, dr.resource.namespace()).sameAs(wanted)) {
        dr.subsets.forEach(subsets::putIfAbsent);
      }
    }
    return subsets;
  }
}
