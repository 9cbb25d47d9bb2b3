package dev.flagroute.mesh.gateway;

import static dev.flagroute.mesh.rules.Docs.list;
import static dev.flagroute.mesh.rules.Docs.map;

import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.rules.Docs;
import dev.flagroute.mesh.rules.ServicePlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gateway API {@code gateway.networking.k8s.io/v1} resources for planned services in GAMMA mesh
 * mode: a Service per version ({@code <service>-<version>}, selecting the app and version labels),
 * then one HTTPRoute (or GRPCRoute) per service attached to the service itself.
 *
 * <p>Gateway API picks the match with the most header matches, then the first rule in list order.
 * When each flag has its own header the plan holds explicit combinations, so rules are grouped by
 * (number of flags, version) and no two matches of equal rank can disagree. When all flags share
 * one header, combinations cannot be told apart by header count: rules then keep the plan's
 * declaration order and rely on the specified first-rule tie-break.
 */
final class GatewayApiGenerator {
  private static final String API_VERSION = "gateway.networking.k8s.io/v1";
  private static final int MAX_RULES = 16;
  private static final int MAX_MATCHES_PER_RULE = 64;
  private static final int MAX_MATCHES = 128;
  private static final int MAX_HEADERS_PER_MATCH = 16;
  private static final int MAX_VALUE_LENGTH = 4096;
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  private GatewayApiGenerator() {}

  static List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (ServicePlan plan : plans) {
      checkServiceName(plan.service(), "service");
      for (String version : plan.routes().versions()) {
        docs.add(versionService(plan, version, options));
      }
    }
    plans.forEach(plan -> docs.add(route(plan, options)));
    return docs;
  }

  /** The per-version Service a backendRef names: {@code reviews-v2}. */
  private static String backendName(String service, String version) {
    return service + "-" + version;
  }

  private static Map<String, Object> versionService(ServicePlan plan, String version, MeshOptions options) {
    String name = checkServiceName(backendName(plan.service(), version), "per-version Service");
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(options.appLabel(), plan.service());
    selector.put(options.versionLabel(), version);
    boolean grpc = options.isGrpc(plan.service());
    int port = port(plan, options);
    Map<String, Object> servicePort = map("name", grpc ? "grpc" : "http", "port", port, "targetPort", port,
        "appProtocol", grpc ? "kubernetes.io/h2c" : null);
    return Docs.resource("v1", "Service", name, options, selector,
        map("selector", new LinkedHashMap<String, Object>(selector), "ports", list(servicePort)));
  }

  private static Map<String, Object> route(ServicePlan plan, MeshOptions options) {
    int port = port(plan, options);
    List<Object> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int matchCount = 0;
    for (List<ServicePlan.Entry> group : groups(plan)) {
      ServicePlan.Entry first = group.get(0);
      List<Object> matches = new ArrayList<>();
      for (ServicePlan.Entry entry : group) {
        matches.add(map("headers", headers(plan, entry)));
      }
      matchCount += matches.size();
      if (matches.size() > MAX_MATCHES_PER_RULE) {
        throw tooMany(plan, matches.size() + " matches in one rule", MAX_MATCHES_PER_RULE + " per rule");
      }
      String base = (first.size() == 1 ? "flag" : "combo-" + first.size()) + "-to-" + first.version();
      rules.add(map("name", unique(base, names), "matches", matches,
          "backendRefs", list(backend(plan.service(), first.version(), port))));
    }
    rules.add(map("name", unique("default", names), "backendRefs",
        list(backend(plan.service(), plan.routes().stableVersion(), port))));
    if (rules.size() > MAX_RULES) {
      throw tooMany(plan, rules.size() + " rules", MAX_RULES + " rules per route");
    }
    if (matchCount > MAX_MATCHES) {
      throw tooMany(plan, matchCount + " matches", MAX_MATCHES + " matches per route");
    }
    Map<String, Object> parent = map("group", "", "kind", "Service", "name", plan.service(), "port", port);
    return Docs.resource(API_VERSION, options.isGrpc(plan.service()) ? "GRPCRoute" : "HTTPRoute",
        options.namePrefix() + plan.service(), options, Map.of(), map("parentRefs", list(parent), "rules", rules));
  }

  /**
   * Entries sharing a rule. With combinations: one group per (number of flags, version), most
   * flags first. Without: consecutive entries with the same version, in plan order.
   */
  private static List<List<ServicePlan.Entry>> groups(ServicePlan plan) {
    List<List<ServicePlan.Entry>> groups = new ArrayList<>();
    Map<String, List<ServicePlan.Entry>> byRank = new LinkedHashMap<>();
    for (ServicePlan.Entry entry : plan.entries()) {
      if (plan.combinations()) {
        byRank.computeIfAbsent(entry.size() + "/" + entry.version(), k -> {
          List<ServicePlan.Entry> group = new ArrayList<>();
          groups.add(group);
          return group;
        }).add(entry);
      } else if (!groups.isEmpty() && groups.get(groups.size() - 1).get(0).version().equals(entry.version())) {
        groups.get(groups.size() - 1).add(entry);
      } else {
        groups.add(new ArrayList<>(List.of(entry)));
      }
    }
    return groups;
  }

  private static List<Object> headers(ServicePlan plan, ServicePlan.Entry entry) {
    if (entry.size() > MAX_HEADERS_PER_MATCH) {
      throw tooMany(plan, entry.size() + " headers in one match", MAX_HEADERS_PER_MATCH + " per match");
    }
    List<Object> headers = new ArrayList<>();
    for (HeaderMatch match : entry.matches()) {
      if (match.value().length() > MAX_VALUE_LENGTH) {
        throw tooMany(plan, "a " + match.value().length() + "-character header value",
            MAX_VALUE_LENGTH + " characters per header value");
      }
      headers.add(map("name", match.header(),
          "type", match.type() == HeaderMatch.Type.EXACT ? "Exact" : "RegularExpression", "value", match.value()));
    }
    return headers;
  }

  private static Map<String, Object> backend(String service, String version, int port) {
    return map("name", backendName(service, version), "port", port);
  }

  private static int port(ServicePlan plan, MeshOptions options) {
    Integer port = options.port(plan.service());
    return port == null ? MeshOptions.DEFAULT_PORT : port;
  }

  private static String unique(String base, Set<String> used) {
    String name = base;
    for (int i = 2; !used.add(name); i++) {
      name = base + "-" + i;
    }
    return name;
  }

  private static String checkServiceName(String name, String what) {
    if (!SERVICE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name '" + name + "' is not a Kubernetes Service name (a DNS label"
          + " of at most 63 characters starting with a letter); Gateway API routes attach to and target Services"
          + " by name, so name the service without dots and set the namespace in MeshOptions");
    }
    return name;
  }

  private static IllegalArgumentException tooMany(ServicePlan plan, String what, Object limit) {
    return new IllegalArgumentException("service '" + plan.service() + "': Gateway API allows at most " + limit
        + ", but its " + plan.routes().flags().size() + " flags need " + what
        + "; steer it with fewer flags or variants, or use Istio");
  }
}
