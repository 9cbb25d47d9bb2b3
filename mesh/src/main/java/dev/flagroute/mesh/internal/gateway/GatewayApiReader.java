package dev.flagroute.mesh.internal.gateway;

import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.internal.rules.Condition;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.Node;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.ServiceName;
import dev.flagroute.mesh.internal.rules.ServiceSelectors;
import dev.flagroute.mesh.internal.rules.StringMatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads Gateway API HTTPRoutes and GRPCRoutes attached to Services (GAMMA), and the selectors of
 * core {@code v1} Services, into a {@link GatewayApiTable}. Each match gets the specificity the
 * specification ranks it by; header names are lowercased, as they match ignoring case. A rule's
 * {@code RequestMirror} filters are its mirrors ({@code percent}, or {@code fraction} as a
 * percentage; 100% when neither is set); a rule with a {@code RequestRedirect} filter answers with
 * a redirect and sends its requests to no backend; other filters do not change where requests go
 * and are not evaluated. Fields of any release are read, whatever the target of generation.
 */
final class GatewayApiReader {
  private static final String GROUP = "gateway.networking.k8s.io";
  static final ResourceKind HTTP_ROUTE = new ResourceKind(GROUP, "HTTPRoute");
  static final ResourceKind GRPC_ROUTE = new ResourceKind(GROUP, "GRPCRoute");
  private static final Set<String> HTTP_MATCH_FIELDS = Set.of("path", "headers", "queryParams", "method");
  private static final Set<String> GRPC_MATCH_FIELDS = Set.of("method", "headers");

  private GatewayApiReader() {}

  /**
   * The routes and Services among {@code resources}; with {@code eachValue}, header conditions
   * match each value of a repeated header on its own, as linkerd2-proxy does, else their values
   * joined with {@code ","}, as Envoy does (see {@link Condition.Header}).
   */
  static GatewayApiTable read(List<Resource> resources, boolean eachValue) {
    List<GatewayApiTable.Route> routes = new ArrayList<>();
    for (Resource r : resources) {
      if (HTTP_ROUTE.matches(r)) {
        routes.add(route(r, false, eachValue));
      } else if (GRPC_ROUTE.matches(r)) {
        routes.add(route(r, true, eachValue));
      }
    }
    return new GatewayApiTable(routes, ServiceSelectors.read(resources));
  }

  private static GatewayApiTable.Route route(Resource r, boolean grpc, boolean eachValue) {
    Node spec = r.spec();
    List<GatewayApiTable.Parent> parents = new ArrayList<>();
    for (Node parent : spec.get("parentRefs").items()) {
      if ("".equals(parent.get("group").string(GROUP))
          && "Service".equals(parent.get("kind").string("Gateway"))) {
        String name = parent.get("name").string();
        if (name == null) {
          parent.problem("a parentRef needs a name");
        } else {
          parents.add(new GatewayApiTable.Parent(new ServiceName(name, parent.get("namespace").string(r.namespace())),
              parent.get("port").integer()));
        }
      }
    }
    List<MeshRule> rules = new ArrayList<>();
    List<GatewayApiTable.Ranked> ranked = new ArrayList<>();
    List<Node> ruleNodes = spec.get("rules").items();
    for (int i = 0; i < ruleNodes.size(); i++) {
      Node rule = ruleNodes.get(i);
      List<MeshRule.Match> matches = new ArrayList<>();
      List<int[]> specificities = new ArrayList<>();
      List<Node> matchNodes = rule.get("matches").items();
      for (Node match : matchNodes) {
        int[] specificity = new int[5];
        matches.add(grpc ? grpcMatch(match, specificity, eachValue) : httpMatch(match, specificity, eachValue));
        specificities.add(specificity);
      }
      if (matchNodes.isEmpty()) {
        int[] specificity = new int[5];
        matches.add(grpc ? new MeshRule.Match(List.of(), rule.path())
            : httpMatch(new Node(null, r.label(), rule.path() + ".matches[0]", new ArrayList<>()), specificity,
                eachValue));
        specificities.add(specificity);
      }
      MeshRule parsed = new MeshRule(r.label(), rule.get("name").string(rule.path()), matches,
          redirects(rule.get("filters")) ? List.of() : backends(rule.get("backendRefs")), mirrors(rule.get("filters")));
      rules.add(parsed);
      for (int m = 0; m < matches.size(); m++) {
        ranked.add(new GatewayApiTable.Ranked(parsed, matches.get(m), specificities.get(m), r, i, m));
      }
    }
    return new GatewayApiTable.Route(r, grpc, parents, rules, ranked);
  }

  /** Specificity: path kind (3 exact, 2 prefix, 1 regex), path length, method, headers, query params. */
  private static MeshRule.Match httpMatch(Node match, int[] specificity, boolean eachValue) {
    match.rejectUnsupported(HTTP_MATCH_FIELDS, "not an HTTPRouteMatch field");
    List<Condition> conditions = new ArrayList<>();
    Node path = match.get("path");
    String type = path.get("type").string("PathPrefix");
    String value = path.get("value").string("/");
    switch (type) {
      case "Exact" -> {
        conditions.add(new Condition.Path(StringMatch.exact(value, false)));
        specificity[0] = 3;
      }
      case "PathPrefix" -> {
        conditions.add(new Condition.PathPrefix(value));
        specificity[0] = 2;
      }
      case "RegularExpression" -> {
        StringMatch regex = StringMatch.regex(value, false, path.get("value"));
        if (regex != null) {
          conditions.add(new Condition.Path(regex));
        }
        specificity[0] = 1;
      }
      default -> path.get("type").problem("expected Exact, PathPrefix or RegularExpression, found '" + type + "'");
    }
    specificity[1] = value.length();
    String method = match.get("method").string();
    if (method != null) {
      conditions.add(new Condition.Method(StringMatch.exact(method, false)));
      specificity[2] = 1;
    }
    specificity[3] = headers(match.get("headers"), conditions, eachValue);
    Set<String> seen = new HashSet<>();
    for (Node query : match.get("queryParams").items()) {
      String name = query.get("name").string();
      StringMatch m = valueMatch(query);
      if (name != null && m != null && seen.add(name)) {
        conditions.add(new Condition.Query(name, m));
        specificity[4]++;
      }
    }
    return new MeshRule.Match(List.copyOf(conditions), match.path());
  }

  /** Specificity: characters of service, characters of method, headers. */
  private static MeshRule.Match grpcMatch(Node match, int[] specificity, boolean eachValue) {
    match.rejectUnsupported(GRPC_MATCH_FIELDS, "not a GRPCRouteMatch field");
    List<Condition> conditions = new ArrayList<>();
    Node method = match.get("method");
    if (!method.isMissing()) {
      boolean regex = method.get("type").string("Exact").equals("RegularExpression");
      StringMatch service = part(method.get("service"), regex);
      StringMatch name = part(method.get("method"), regex);
      if (service == null && name == null) {
        method.problem("a method match needs a service or a method");
      } else {
        Condition.GrpcMethod grpc = new Condition.GrpcMethod(service, name);
        conditions.add(grpc);
        specificity[0] = grpc.serviceChars();
        specificity[1] = grpc.methodChars();
      }
    }
    specificity[2] = headers(match.get("headers"), conditions, eachValue);
    return new MeshRule.Match(List.copyOf(conditions), match.path());
  }

  private static StringMatch part(Node node, boolean regex) {
    String value = node.string();
    if (value == null || value.isEmpty()) {
      return null;
    }
    return regex ? StringMatch.regex(value, false, node) : StringMatch.exact(value, false);
  }

  /** Adds header conditions (names ignore case; a repeated name counts once) and returns their number. */
  private static int headers(Node headers, List<Condition> conditions, boolean eachValue) {
    Set<String> seen = new HashSet<>();
    for (Node header : headers.items()) {
      String name = header.get("name").string();
      StringMatch m = valueMatch(header);
      if (name != null && m != null && seen.add(name.toLowerCase(Locale.ROOT))) {
        conditions.add(new Condition.Header(name.toLowerCase(Locale.ROOT), m, false, eachValue));
      }
    }
    return seen.size();
  }

  private static StringMatch valueMatch(Node node) {
    String value = node.get("value").string();
    if (value == null) {
      node.problem("a header or query match needs a value");
      return null;
    }
    return switch (node.get("type").string("Exact")) {
      case "Exact" -> StringMatch.exact(value, false);
      case "RegularExpression" -> StringMatch.regex(value, false, node.get("value"));
      default -> {
        node.get("type").problem("expected Exact or RegularExpression");
        yield null;
      }
    };
  }

  /** Whether a {@code RequestRedirect} filter answers the rule's requests with a redirect, so no backend gets them. */
  private static boolean redirects(Node filters) {
    return filters.items().stream().anyMatch(filter -> "RequestRedirect".equals(filter.get("type").string()));
  }

  private static List<MeshMirror> mirrors(Node filters) {
    List<MeshMirror> mirrors = new ArrayList<>();
    for (Node filter : filters.items()) {
      if (!"RequestMirror".equals(filter.get("type").string())) {
        continue;
      }
      Node mirror = filter.get("requestMirror");
      Node ref = mirror.get("backendRef");
      String name = ref.get("name").string();
      Double percent = percent(mirror);
      if (name == null) {
        ref.problem("a RequestMirror filter needs a backendRef with a name");
      } else if (percent != null) {
        String namespace = ref.get("namespace").string();
        mirrors.add(new MeshMirror(namespace == null ? name : name + "." + namespace, null, ref.get("port").integer(),
            percent));
      }
    }
    return mirrors;
  }

  /** {@code percent}, or {@code fraction} as a percentage, or 100; {@code null} after recording a problem. */
  private static Double percent(Node mirror) {
    Node fraction = mirror.get("fraction");
    if (fraction.isMissing()) {
      return mirror.get("percent").percent(100);
    }
    if (!mirror.get("percent").isMissing()) {
      mirror.problem("a RequestMirror filter sets percent or fraction, not both");
      return null;
    }
    Integer numerator = fraction.get("numerator").integer();
    Integer denominator = fraction.get("denominator").integer();
    int over = denominator == null ? 100 : denominator;
    if (numerator == null || numerator < 0 || over < 1 || numerator > over) {
      fraction.problem("a fraction needs a numerator from 0 to its denominator (at least 1, default 100)");
      return null;
    }
    return 100.0 * numerator / over;
  }

  private static List<MeshDestination> backends(Node backendRefs) {
    List<MeshDestination> destinations = new ArrayList<>();
    for (Node ref : backendRefs.items()) {
      String name = ref.get("name").string();
      if (name == null) {
        ref.problem("a backendRef needs a name");
        continue;
      }
      String namespace = ref.get("namespace").string();
      Integer weight = ref.get("weight").integer();
      destinations.add(new MeshDestination(namespace == null ? name : name + "." + namespace, null,
          ref.get("port").integer(), weight == null ? 1 : weight));
    }
    return destinations;
  }

}
