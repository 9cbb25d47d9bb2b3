package dev.flagroute.mesh.internal.smi;

import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.internal.rules.Condition;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.Node;
import dev.flagroute.mesh.internal.rules.Re2;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.ServiceName;
import dev.flagroute.mesh.internal.rules.ServiceSelectors;
import dev.flagroute.mesh.internal.rules.StringMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads SMI TrafficSplits and HTTPRouteGroups (v1alpha4), and the selectors of core {@code v1}
 * Services, into an {@link SmiTable}. An HTTPRouteGroup match ANDs its conditions and the matches
 * of every group a split names are ORed ("all routes will be merged into a single group"). Header
 * values are RE2 regexes matching the whole value (Envoy's {@code safe_regex}, as the
 * specification's {@code ".*Firefox.*"} example implies); {@code pathRegex} is anchored at the
 * start of the path only, as the specification says; methods are any of, {@code *} any method.
 * Header names are lowercased, as HTTP/2 writes them. Several splits of one root Service are a
 * problem: the specification does not say how they combine.
 */
final class SmiReader {
  static final ResourceKind TRAFFIC_SPLIT = new ResourceKind("split.smi-spec.io", "TrafficSplit");
  private static final ResourceKind HTTP_ROUTE_GROUP = new ResourceKind("specs.smi-spec.io", "HTTPRouteGroup");
  private static final Set<String> MATCH_FIELDS = Set.of("name", "pathRegex", "methods", "headers");

  private SmiReader() {}

  /** The splits, route groups and Services among {@code resources}. */
  static SmiTable read(List<Resource> resources) {
    Map<ServiceName, List<MeshRule.Match>> groups = new LinkedHashMap<>();
    for (Resource r : resources) {
      if (HTTP_ROUTE_GROUP.matches(r)) {
        groups.put(new ServiceName(r.name(), r.namespace()), matches(r.spec().get("matches")));
      }
    }
    List<SmiTable.Split> splits = new ArrayList<>();
    for (Resource r : resources) {
      if (TRAFFIC_SPLIT.matches(r)) {
        SmiTable.Split split = split(r, groups);
        if (split == null) {
          continue;
        }
        SmiTable.Split earlier = splits.stream().filter(s -> s.root().sameAs(split.root())).findFirst().orElse(null);
        if (earlier != null) {
          r.spec().get("service").problem("TrafficSplit " + earlier.resource().qualifiedName() + " splits root Service '"
              + split.root().name() + "' too, and the SMI specification does not define how several splits of one"
              + " root Service combine");
        } else {
          splits.add(split);
        }
      }
    }
    return new SmiTable(splits, ServiceSelectors.read(resources));
  }

  private static SmiTable.Split split(Resource r, Map<ServiceName, List<MeshRule.Match>> groups) {
    Node spec = r.spec();
    String service = spec.get("service").string();
    if (service == null || service.isEmpty()) {
      spec.get("service").problem("a TrafficSplit needs its root service");
      return null;
    }
    ServiceName root = ServiceName.parse(service, r.namespace());
    List<MeshRule.Match> matches = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<Node> refs = spec.get("matches").items();
    for (Node ref : refs) {
      String name = ref.get("name").string();
      if (!"HTTPRouteGroup".equals(ref.get("kind").string())) {
        ref.get("kind").problem("expected kind HTTPRouteGroup");
      } else if (name != null) {
        List<MeshRule.Match> group = groups.entrySet().stream()
            .filter(e -> e.getKey().sameAs(new ServiceName(name, r.namespace()))).map(Map.Entry::getValue)
            .findFirst().orElse(null);
        if (group == null) {
          missing.add(name);
        } else {
          matches.addAll(group);
        }
      }
    }
    List<MeshDestination> backends = new ArrayList<>();
    for (Node backend : spec.get("backends").items()) {
      String name = backend.get("service").string();
      Double weight = backend.get("weight").number();
      if (name == null || weight == null) {
        backend.problem("a backend needs a service and a weight");
      } else if (weight < 0 || weight != Math.rint(weight) || weight > Integer.MAX_VALUE) {
        backend.get("weight").problem("weights must be whole numbers (SMI specification), found " + weight);
      } else {
        backends.add(new MeshDestination(name, null, null, weight.intValue()));
      }
    }
    MeshRule rule = new MeshRule(r.label(), "(split)", refs.isEmpty() ? List.of() : matches, backends);
    return new SmiTable.Split(r, root, !refs.isEmpty(), rule, missing);
  }

  private static List<MeshRule.Match> matches(Node matches) {
    List<MeshRule.Match> parsed = new ArrayList<>();
    for (Node match : matches.items()) {
      match.rejectUnsupported(MATCH_FIELDS, "not an HTTPRouteGroup match field");
      List<Condition> conditions = new ArrayList<>();
      String path = match.get("pathRegex").string();
      if (path != null) {
        StringMatch prefix = StringMatch.regex("(?:" + path + ")(?s:.*)", false, match.get("pathRegex"));
        if (prefix != null) {
          conditions.add(new Condition.Path(prefix));
        }
      }
      List<String> methods = new ArrayList<>();
      boolean any = false;
      for (Node method : match.get("methods").items()) {
        String name = method.string("");
        any |= name.equals("*");
        methods.add(Re2.quote(name));
      }
      if (!any && !methods.isEmpty()) {
        conditions.add(new Condition.Method(StringMatch.regex(String.join("|", methods), false, match.get("methods"))));
      }
      Node headers = match.get("headers");
      if (!headers.isMissing() && headers.items().isEmpty() && !headers.entries().isEmpty()) {
        headers.problem("the HTTPRouteGroup CRD takes headers as a list of one-entry maps, e.g. [{x-flag: '^on$'}]");
      }
      for (Node header : headers.items()) {
        header.entries().forEach((name, value) -> {
          String regex = value.string();
          StringMatch m = regex == null ? null : StringMatch.regex(regex, false, value);
          if (m != null) {
            conditions.add(new Condition.Header(name.toLowerCase(Locale.ROOT), m, false));
          }
        });
      }
      parsed.add(new MeshRule.Match(List.copyOf(conditions), match.path()));
    }
    return parsed;
  }
}
