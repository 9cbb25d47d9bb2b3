package dev.flagroute.mesh;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio VirtualServices and DestinationRules read for evaluation. Rules of every VirtualService
 * for a host are kept in Istio's merge order (oldest first, then by name) and evaluated first
 * match first; an exact host beats a wildcard, the longest wildcard first.
 */
final class IstioTable {
  static final String GROUP = "networking.istio.io";
  private static final Set<String> MATCH_FIELDS =
      Set.of("name", "headers", "withoutHeaders", "uri", "method", "queryParams", "ignoreUriCase", "gateways",
          "statPrefix");
  private static final String UNSUPPORTED = "this match field is not evaluated by flagroute; only headers,"
      + " withoutHeaders, uri, method and queryParams are";

  /** A VirtualService bound to the mesh, with its parsed rules. */
  record VirtualService(Resource resource, List<String> hosts, List<MeshRule> rules) {}

  /** A DestinationRule: its host and each subset's labels. */
  record DestinationRule(Resource resource, String host, Map<String, Map<String, String>> subsets) {}

  final List<VirtualService> virtualServices = new ArrayList<>();
  final List<DestinationRule> destinationRules = new ArrayList<>();

  IstioTable(List<Resource> resources) {
    for (Resource r : resources) {
      if (r.is(GROUP, "VirtualService")) {
        readVirtualService(r);
      } else if (r.is(GROUP, "DestinationRule")) {
        readDestinationRule(r);
      }
    }
    virtualServices.sort(Comparator.comparing(VirtualService::resource, Resource.AGE_THEN_NAME));
  }

  /** The rules that apply to traffic for {@code service}, in evaluation order. */
  List<MeshRule> rulesFor(String service) {
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
    return !exact.isEmpty() || bestWildcard == null ? exact : byWildcard.get(bestWildcard);
  }

  /** Whether some VirtualService names {@code service} as a host (not through a wildcard). */
  boolean routes(String service) {
    ServiceName wanted = ServiceName.parse(service, null);
    return virtualServices.stream().anyMatch(vs -> vs.hosts.stream()
        .anyMatch(h -> !h.startsWith("*") && ServiceName.parse(h, vs.resource.namespace()).sameAs(wanted)));
  }

  private void readVirtualService(Resource r) {
    Node spec = r.spec();
    List<String> gateways = strings(spec.get("gateways"));
    if (!gateways.isEmpty() && !gateways.contains("mesh")) {
      return;
    }
    List<String> hosts = strings(spec.get("hosts"));
    if (hosts.isEmpty()) {
      spec.get("hosts").problem("a VirtualService needs at least one host");
    }
    List<MeshRule> rules = new ArrayList<>();
    for (Node http : spec.get("http").items()) {
      String name = http.get("name").string(http.path());
      if (!http.get("delegate").isMissing()) {
        http.get("delegate").problem("delegate VirtualServices are not evaluated by flagroute");
      }
      List<MeshRule.Match> matches = new ArrayList<>();
      List<Node> matchNodes = http.get("match").items();
      boolean anyForMesh = matchNodes.isEmpty();
      for (Node match : matchNodes) {
        MeshRule.Match parsed = readMatch(match);
        if (parsed != null) {
          matches.add(parsed);
          anyForMesh = true;
        }
      }
      if (anyForMesh) {
        rules.add(new MeshRule(r.label(), name, matches, destinations(http.get("route"))));
      }
    }
    virtualServices.add(new VirtualService(r, hosts, rules));
  }

  /** The match, or {@code null} if it is bound to gateways other than the mesh. */
  private static MeshRule.Match readMatch(Node match) {
    match.rejectUnsupported(MATCH_FIELDS, UNSUPPORTED);
    List<String> gateways = strings(match.get("gateways"));
    if (!gateways.isEmpty() && !gateways.contains("mesh")) {
      return null;
    }
    List<Condition> conditions = new ArrayList<>();
    boolean ignoreUriCase = match.get("ignoreUriCase").bool();
    if (!match.get("uri").isMissing()) {
      StringMatch uri = stringMatch(match.get("uri"), ignoreUriCase);
      if (uri != null) {
        conditions.add(new Condition.Path(uri));
      }
    }
    if (!match.get("method").isMissing()) {
      StringMatch method = stringMatch(match.get("method"), false);
      if (method != null) {
        conditions.add(new Condition.Method(method));
      }
    }
    for (boolean inverted : new boolean[] {false, true}) {
      match.get(inverted ? "withoutHeaders" : "headers").entries().forEach((name, value) -> {
        StringMatch m = stringMatch(value, false);
        if (m != null) {
          conditions.add(new Condition.Header(name, m, inverted));
        }
      });
    }
    match.get("queryParams").entries().forEach((name, value) -> {
      StringMatch m = stringMatch(value, false);
      if (m != null) {
        conditions.add(new Condition.Query(name, m));
      }
    });
    return new MeshRule.Match(List.copyOf(conditions), match.path());
  }

  /**
   * An Istio StringMatch: exactly one of exact, prefix, regex; {} checks presence, and so does
   * the special regex {@code "*"} (istio/istio#20629).
   */
  static StringMatch stringMatch(Node node, boolean ignoreCase) {
    Map<String, Node> entries = node.entries();
    node.rejectUnsupported(Set.of("exact", "prefix", "regex"), "a StringMatch holds only exact, prefix or regex");
    if (entries.isEmpty()) {
      return StringMatch.present();
    }
    if (entries.size() > 1) {
      node.problem("a StringMatch holds exactly one of exact, prefix or regex, found " + entries.keySet());
      return null;
    }
    String kind = entries.keySet().iterator().next();
    String value = entries.get(kind).string();
    if (value == null) {
      return null;
    }
    return switch (kind) {
      case "exact" -> StringMatch.exact(value, ignoreCase);
      case "prefix" -> {
        if (value.isEmpty()) {
          node.problem("an empty prefix is rejected by Envoy (istio/istio#35489); use {} to check presence");
          yield null;
        }
        yield StringMatch.prefix(value, ignoreCase);
      }
      case "regex" -> value.equals("*") ? StringMatch.present() : StringMatch.regex(value, ignoreCase, node);
      default -> null;
    };
  }

  private static List<MeshDestination> destinations(Node route) {
    List<Node> items = route.items();
    List<MeshDestination> destinations = new ArrayList<>();
    for (Node item : items) {
      Node destination = item.get("destination");
      String host = destination.get("host").string();
      if (host == null) {
        destination.problem("a route destination needs a host");
        continue;
      }
      Integer weight = item.get("weight").integer();
      destinations.add(new MeshDestination(host, destination.get("subset").string(),
          destination.get("port").get("number").integer(), weight != null ? weight : items.size() == 1 ? 100 : 0));
    }
    return destinations;
  }

  private void readDestinationRule(Resource r) {
    Node spec = r.spec();
    String host = spec.get("host").string();
    if (host == null) {
      spec.get("host").problem("a DestinationRule needs a host");
      return;
    }
    Map<String, Map<String, String>> subsets = new LinkedHashMap<>();
    for (Node subset : spec.get("subsets").items()) {
      String name = subset.get("name").string();
      if (name == null) {
        subset.problem("a subset needs a name");
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      subset.get("labels").entries().forEach((k, v) -> {
        String value = v.string();
        if (value != null) {
          labels.put(k, value);
        }
      });
      subsets.put(name, labels);
    }
    destinationRules.add(new DestinationRule(r, host, subsets));
  }

  /** The subsets DestinationRules define for {@code host} (resolved like VirtualService hosts). */
  Map<String, Map<String, String>> subsets(String host, String namespace) {
    ServiceName wanted = ServiceName.parse(host, namespace);
    Map<String, Map<String, String>> subsets = new LinkedHashMap<>();
    for (DestinationRule dr : destinationRules) {
      if (ServiceName.parse(dr.host, dr.resource.namespace()).sameAs(wanted)) {
        dr.subsets.forEach(subsets::putIfAbsent);
      }
    }
    return subsets;
  }

  private static List<String> strings(Node node) {
    List<String> strings = new ArrayList<>();
    for (Node item : node.items()) {
      String s = item.string();
      if (s != null) {
        strings.add(s);
      }
    }
    return strings;
  }
}
