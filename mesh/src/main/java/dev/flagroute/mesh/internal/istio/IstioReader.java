package dev.flagroute.mesh.internal.istio;

import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.internal.rules.Condition;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.Node;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.StringMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Istio VirtualServices bound to the mesh and DestinationRules into an {@link IstioTable},
 * recording every field it cannot evaluate as a problem: StringMatch {@code exact}/{@code prefix}/
 * {@code regex} and {@code {}} for presence, header keys as written, {@code withoutHeaders},
 * {@code uri}, {@code method} and {@code queryParams}; and where each route mirrors requests
 * ({@code mirrors[]}, or the older {@code mirror} with {@code mirrorPercentage} or
 * {@code mirrorPercent}; 100% when no percentage is given) and what {@code fault} injects.
 */
final class IstioReader {
  static final ResourceKind VIRTUAL_SERVICE = new ResourceKind("networking.istio.io", "VirtualService");
  private static final ResourceKind DESTINATION_RULE = new ResourceKind("networking.istio.io", "DestinationRule");
  private static final Set<String> MATCH_FIELDS =
      Set.of("name", "headers", "withoutHeaders", "uri", "method", "queryParams", "ignoreUriCase", "gateways",
          "statPrefix");
  private static final String UNSUPPORTED = "this match field is not evaluated by flagroute; only headers,"
      + " withoutHeaders, uri, method and queryParams are";

  private IstioReader() {}

  /** The VirtualServices and DestinationRules among {@code resources}. */
  static IstioTable read(List<Resource> resources) {
    List<IstioTable.VirtualService> virtualServices = new ArrayList<>();
    List<IstioTable.DestinationRule> destinationRules = new ArrayList<>();
    for (Resource r : resources) {
      if (VIRTUAL_SERVICE.matches(r)) {
        IstioTable.VirtualService vs = virtualService(r);
        if (vs != null) {
          virtualServices.add(vs);
        }
      } else if (DESTINATION_RULE.matches(r)) {
        IstioTable.DestinationRule dr = destinationRule(r);
        if (dr != null) {
          destinationRules.add(dr);
        }
      }
    }
    return new IstioTable(virtualServices, destinationRules);
  }

  /** The VirtualService, or {@code null} if it is bound to gateways other than the mesh. */
  private static IstioTable.VirtualService virtualService(Resource r) {
    Node spec = r.spec();
    List<String> gateways = strings(spec.get("gateways"));
    if (!gateways.isEmpty() && !gateways.contains("mesh")) {
      return null;
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
        rules.add(new MeshRule(r.label(), name, matches, destinations(http.get("route")), mirrors(http),
            fault(http.get("fault"))));
      }
    }
    return new IstioTable.VirtualService(r, hosts, rules);
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
  private static StringMatch stringMatch(Node node, boolean ignoreCase) {
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

  /** What {@code fault} injects: {@code abort}, {@code delay} or both; {@code null} when it is absent. */
  private static String fault(Node fault) {
    if (fault.isMissing()) {
      return null;
    }
    List<String> kinds = new ArrayList<>();
    for (String kind : List.of("abort", "delay")) {
      if (!fault.get(kind).isMissing()) {
        kinds.add(kind);
      }
    }
    return kinds.isEmpty() ? "an empty fault" : String.join(" and ", kinds);
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

  private static List<MeshMirror> mirrors(Node http) {
    List<MeshMirror> mirrors = new ArrayList<>();
    Node single = http.get("mirror");
    if (!single.isMissing()) {
      if (!http.get("mirrors").isMissing()) {
        single.problem("a route sets mirror or mirrors, not both");
      }
      Node percentage = http.get("mirrorPercentage");
      Double percent = percentage.isMissing() ? http.get("mirrorPercent").percent(100) : percentage.get("value")
          .percent(100);
      addMirror(single, percent, mirrors);
    }
    for (Node item : http.get("mirrors").items()) {
      addMirror(item.get("destination"), item.get("percentage").get("value").percent(100), mirrors);
    }
    return mirrors;
  }

  private static void addMirror(Node destination, Double percent, List<MeshMirror> mirrors) {
    String host = destination.get("host").string();
    if (host == null) {
      destination.problem("a mirror destination needs a host");
    } else if (percent != null) {
      mirrors.add(new MeshMirror(host, destination.get("subset").string(),
          destination.get("port").get("number").integer(), percent));
    }
  }

  /** The DestinationRule, or {@code null} if it names no host. */
  private static IstioTable.DestinationRule destinationRule(Resource r) {
    Node spec = r.spec();
    String host = spec.get("host").string();
    if (host == null) {
      spec.get("host").problem("a DestinationRule needs a host");
      return null;
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
    return new IstioTable.DestinationRule(r, host, subsets);
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
