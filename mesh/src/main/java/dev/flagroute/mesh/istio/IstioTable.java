package dev.flagroute.mesh.istio;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.rules.FirstMatch;
import dev.flagroute.mesh.rules.MeshRule;
import dev.flagroute.mesh.rules.Resource;
import dev.flagroute.mesh.rules.RuleTable;
import dev.flagroute.mesh.rules.ServiceName;
import dev.flagroute.mesh.rules.ServiceRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio VirtualServices and DestinationRules read for evaluation. Rules of every VirtualService
 * for a host are kept in Istio's merge order (oldest first, then by name) and evaluated first
 * match first; an exact host beats a wildcard, the longest wildcard first.
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
    List<MeshRule> exact = new ArrayList<>();
    String bestWildcard = null;
    Map<String, List<MeshRule>> byWildcard = new LinkedHashMap<>();
    for (VirtualService vs : virtualServices) {
      for (String host : vs.hosts) {
        if (host.startsWith("*")) {
          String suffix = host.substring(1);
          if (service.endsWith(suffix)) {
            byWildcard.computeIfAbsent(suffix, k -> new ArrayList<>()).addAll(vs.rules);
            bestWildcard = bestWildcard == null || suffix.length() > bestWildcard.length() ? suffix : bestWildcard;
          }
        } else if (ServiceName.parse(host, vs.resource.namespace()).sameAs(wanted)) {
          exact.addAll(vs.rules);
          break;
        }
      }
    }
    List<MeshRule> rules = List.copyOf(!exact.isEmpty() || bestWildcard == null ? exact : byWildcard.get(bestWildcard));
    return request -> FirstMatch.hit(rules, request);
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

  /** Routes and mirrors to subsets no DestinationRule defines, then rules an earlier rule of their VirtualService shadows. */
  @Override
  public List<Drift> drift() {
    List<Drift> drift = new ArrayList<>();
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
            "can never match: rule '" + shadow.name() + "' comes first and matches every request it does")));
      }
    }
    return drift;
  }

  private void undefinedSubset(MeshRule rule, String verb, String host, String subset, VirtualService vs,
      List<Drift> drift) {
    if (subset != null && !subsets(host, vs.resource.namespace()).containsKey(subset)) {
      drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, rule.resource() + " rule '" + rule.name() + "'",
          verb + " subset '" + subset + "' of host '" + host + "', which no DestinationRule defines"
              + (verb.equals("routes to") ? " (Istio answers 503)" : "")));
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
