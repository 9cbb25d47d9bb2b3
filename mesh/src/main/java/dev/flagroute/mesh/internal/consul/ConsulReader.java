package dev.flagroute.mesh.internal.consul;

import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.internal.rules.Condition;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.Node;
import dev.flagroute.mesh.internal.rules.Re2;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.ServiceName;
import dev.flagroute.mesh.internal.rules.StringMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads Consul ServiceRouters, ServiceResolvers and ServiceDefaults into a {@link ConsulTable}.
 * A route's {@code match.http} holds path ({@code pathExact}, {@code pathPrefix} or
 * {@code pathRegex}, with {@code caseInsensitive}), {@code methods} (any of), {@code header} and
 * {@code queryParam} conditions, all ANDed; a header condition is one of {@code exact},
 * {@code prefix}, {@code suffix}, {@code regex} (RE2, whole value) or {@code present}, optionally
 * inverted. As in Consul (whose fields are Go strings), an empty string counts as unset. Header
 * names are lowercased: Envoy, which Consul configures, matches them ignoring case. A destination
 * without {@code serviceSubset} goes to the destination service's default subset. Redirects and
 * ServiceSplitters change where requests go and are not evaluated: they are reported as problems.
 */
final class ConsulReader {
  private static final String GROUP = "consul.hashicorp.com";
  static final ResourceKind SERVICE_ROUTER = new ResourceKind(GROUP, "ServiceRouter");
  private static final ResourceKind SERVICE_RESOLVER = new ResourceKind(GROUP, "ServiceResolver");
  private static final ResourceKind SERVICE_DEFAULTS = new ResourceKind(GROUP, "ServiceDefaults");
  private static final ResourceKind SERVICE_SPLITTER = new ResourceKind(GROUP, "ServiceSplitter");
  private static final Set<String> HTTP_FIELDS =
      Set.of("pathExact", "pathPrefix", "pathRegex", "caseInsensitive", "methods", "header", "queryParam");
  private static final List<String> HEADER_KINDS = List.of("exact", "prefix", "suffix", "regex", "present");
  private static final List<String> QUERY_KINDS = List.of("exact", "regex", "present");

  private ConsulReader() {}

  /** The routers, resolvers and service defaults among {@code resources}. */
  static ConsulTable read(List<Resource> resources) {
    List<ConsulTable.Router> routers = new ArrayList<>();
    Map<ServiceName, ConsulTable.Resolver> resolvers = new LinkedHashMap<>();
    Map<ServiceName, String> protocols = new LinkedHashMap<>();
    for (Resource r : resources) {
      ServiceName name = new ServiceName(r.name(), r.namespace());
      if (SERVICE_RESOLVER.matches(r)) {
        resolvers.put(name, resolver(r));
      } else if (SERVICE_DEFAULTS.matches(r)) {
        protocols.put(name, r.spec().get("protocol").string(""));
      }
    }
    for (Resource r : resources) {
      if (SERVICE_ROUTER.matches(r)) {
        routers.add(router(r, resolvers));
      }
    }
    for (Resource r : resources) {
      if (SERVICE_SPLITTER.matches(r) && routers.stream().anyMatch(router -> router.service().sameAs(
          new ServiceName(r.name(), r.namespace())))) {
        r.spec().problem("ServiceSplitters are not evaluated by flagroute; the split of '" + r.name()
            + "' applies to its router's destinations without a serviceSubset");
      }
    }
    return new ConsulTable(routers, resolvers, protocols);
  }

  private static ConsulTable.Resolver resolver(Resource r) {
    Node spec = r.spec();
    if (!spec.get("redirect").isMissing()) {
      spec.get("redirect").problem("redirects are not evaluated by flagroute");
    }
    Map<String, String> filters = new LinkedHashMap<>();
    spec.get("subsets").entries().forEach((name, subset) -> filters.put(name, subset.get("filter").string("")));
    String defaultSubset = spec.get("defaultSubset").string("");
    return new ConsulTable.Resolver(r, defaultSubset.isEmpty() ? null : defaultSubset, filters);
  }

  private static ConsulTable.Router router(Resource r, Map<ServiceName, ConsulTable.Resolver> resolvers) {
    ServiceName service = new ServiceName(r.name(), r.namespace());
    List<MeshRule> rules = new ArrayList<>();
    for (Node route : r.spec().get("routes").items()) {
      List<MeshRule.Match> matches = new ArrayList<>();
      Node http = route.get("match").get("http");
      if (!http.isMissing()) {
        matches.add(match(http));
      }
      rules.add(new MeshRule(r.label(), route.path(), matches,
          List.of(destination(route.get("destination"), service, resolvers))));
    }
    return new ConsulTable.Router(r, service, rules);
  }

  private static MeshRule.Match match(Node http) {
    http.rejectUnsupported(HTTP_FIELDS, "not a ServiceRouteHTTPMatch field");
    List<Condition> conditions = new ArrayList<>();
    boolean ignoreCase = http.get("caseInsensitive").bool();
    List<String> paths = new ArrayList<>();
    for (String field : List.of("pathExact", "pathPrefix", "pathRegex")) {
      String value = http.get(field).string("");
      if (!value.isEmpty()) {
        paths.add(field);
        StringMatch path = switch (field) {
          case "pathExact" -> StringMatch.exact(value, ignoreCase);
          case "pathPrefix" -> StringMatch.prefix(value, ignoreCase);
          default -> StringMatch.regex(value, ignoreCase, http.get(field));
        };
        if (path != null) {
          conditions.add(new Condition.Path(path));
        }
      }
    }
    if (paths.size() > 1) {
      http.problem("at most one of pathExact, pathPrefix or pathRegex may be set, found " + paths);
    }
    List<String> methods = new ArrayList<>();
    for (Node method : http.get("methods").items()) {
      String name = method.string();
      if (name != null) {
        methods.add(Re2.quote(name.toUpperCase(Locale.ROOT)));
      }
    }
    if (!methods.isEmpty()) {
      conditions.add(new Condition.Method(StringMatch.regex(String.join("|", methods), false, http.get("methods"))));
    }
    for (Node header : http.get("header").items()) {
      StringMatch match = oneOf(header, HEADER_KINDS);
      String name = header.get("name").string();
      if (name == null || name.isEmpty()) {
        header.problem("a header match needs a name");
      } else if (match != null) {
        conditions.add(new Condition.Header(name.toLowerCase(Locale.ROOT), match, header.get("invert").bool()));
      }
    }
    for (Node query : http.get("queryParam").items()) {
      StringMatch match = oneOf(query, QUERY_KINDS);
      String name = query.get("name").string();
      if (name == null || name.isEmpty()) {
        query.problem("a query parameter match needs a name");
      } else if (match != null) {
        conditions.add(new Condition.Query(name, match));
      }
    }
    return new MeshRule.Match(List.copyOf(conditions), http.path());
  }

  /** The one condition of {@code node} among {@code kinds}, or {@code null} after recording why there is none. */
  private static StringMatch oneOf(Node node, List<String> kinds) {
    List<String> set = new ArrayList<>();
    for (String kind : kinds) {
      boolean isSet = kind.equals("present") ? node.get(kind).bool() : !node.get(kind).string("").isEmpty();
      if (isSet) {
        set.add(kind);
      }
    }
    if (set.size() != 1) {
      node.problem("needs exactly one of " + String.join(", ", kinds) + (set.isEmpty() ? "" : ", found " + set));
      return null;
    }
    String value = set.get(0).equals("present") ? "" : node.get(set.get(0)).string();
    return switch (set.get(0)) {
      case "exact" -> StringMatch.exact(value, false);
      case "prefix" -> StringMatch.prefix(value, false);
      case "suffix" -> StringMatch.suffix(value, false);
      case "regex" -> StringMatch.regex(value, false, node.get("regex"));
      default -> StringMatch.present();
    };
  }

  /** Where a route sends requests: the destination service (the router's own by default) and its subset. */
  private static MeshDestination destination(Node destination, ServiceName router,
      Map<ServiceName, ConsulTable.Resolver> resolvers) {
    String name = destination.get("service").string("");
    String namespace = destination.get("namespace").string("");
    ServiceName target = new ServiceName(name.isEmpty() ? router.name() : name,
        namespace.isEmpty() ? router.namespace() : namespace);
    String subset = destination.get("serviceSubset").string("");
    if (subset.isEmpty()) {
      subset = ConsulTable.resolverOf(resolvers, target).map(ConsulTable.Resolver::defaultSubset).orElse(null);
    }
    String host = target.namespace() == null ? target.name() : target.name() + "." + target.namespace();
    return new MeshDestination(host, subset, null, 100);
  }
}
