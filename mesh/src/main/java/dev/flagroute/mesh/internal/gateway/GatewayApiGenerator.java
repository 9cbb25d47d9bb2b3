package dev.flagroute.mesh.internal.gateway;

import static dev.flagroute.mesh.internal.rules.Docs.list;
import static dev.flagroute.mesh.internal.rules.Docs.map;

import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.mesh.GatewayApiVersion;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Docs;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.mesh.internal.rules.VersionServices;
import dev.flagroute.routes.Mirror;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gateway API {@code gateway.networking.k8s.io/v1} resources for planned services in GAMMA mesh
 * mode: a Service per version ({@code <service>-<version>}, selecting the app and version labels),
 * then one HTTPRoute (or GRPCRoute) per service attached to the service itself.
 *
 * <p>Gateway API picks the match with the most header matches, then, within a route, the first
 * rule in list order. Every flag match here has exactly one header match, so they all tie and rule
 * order decides, as the plan's first-match order needs; the default rule, with none, ranks last.
 * Consecutive entries with the same version and mirror share a rule (one match each), and an
 * entry joins an earlier rule of its own flag with the same outcome: variants of one flag exclude
 * each other, so that moves no request to another rule.
 *
 * <p><b>Target version and limits.</b> Only what every supported release accepts is written,
 * unless a feature needs more and the target has it: rules are unnamed ({@code rules[].name} came
 * after v1.1); a rule holds at most 8 matches (v1.1's limit; a longer group is split over several
 * rules with the same backend and filters, which changes nothing), unless the route would then
 * exceed 16 rules and the target allows 64; a route holds at most 128 matches (a CEL rule of
 * v1.6); a header value is at most 4096 characters; and a mirror is a {@code RequestMirror} filter
 * with a {@code percent} only below 100% (the field came in v1.3). What the target lacks is
 * refused, naming the limit.
 */
final class GatewayApiGenerator {
  private static final String API_VERSION = "gateway.networking.k8s.io/v1";
  private static final String FORMAT = "Gateway API";
  static final int MAX_RULES = 16;
  /** v1.1 allows 8 matches per rule; v1.6 allows 64, and 128 in all the rules of a route (a CEL rule). */
  static final int PORTABLE_MATCHES_PER_RULE = 8;
  static final int MAX_MATCHES_PER_RULE = 64;
  static final int MAX_MATCHES = 128;
  static final int MAX_VALUE_LENGTH = 4096;
  private static final int FULL = 100;

  private final GatewayApiVersion target;

  GatewayApiGenerator(GatewayApiVersion target) {
    this.target = target;
  }

  List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (ServicePlan plan : plans) {
      docs.addAll(VersionServices.of(plan, options, FORMAT));
    }
    plans.forEach(plan -> docs.add(route(plan, options)));
    return docs;
  }

  private Map<String, Object> route(ServicePlan plan, MeshOptions options) {
    int port = VersionServices.port(plan.service(), options);
    List<List<ServicePlan.Entry>> groups = groups(plan);
    List<Object> rules = rules(plan, groups, PORTABLE_MATCHES_PER_RULE, port);
    if (rules.size() > MAX_RULES && target != GatewayApiVersion.V1_1) {
      rules = rules(plan, groups, MAX_MATCHES_PER_RULE, port);
    }
    if (rules.size() > MAX_RULES) {
      throw refused(plan, "its " + plan.entries().size() + " non-default variants need " + rules.size()
          + " rules (one per run of variants with the same version and mirror, plus the default), but Gateway API"
          + " allows " + MAX_RULES + " rules per route" + (target == GatewayApiVersion.V1_1
              ? " and, in " + target + ", " + PORTABLE_MATCHES_PER_RULE + " matches per rule" : "")
          + "; steer the service with fewer variants or versions, or use istio or consul, which have no rule"
          + " limit");
    }
    int matchCount = plan.entries().size();
    if (matchCount > MAX_MATCHES) {
      throw refused(plan, "its " + matchCount + " non-default variants need " + matchCount + " matches, but Gateway"
          + " API allows " + MAX_MATCHES + " matches per route (a CEL rule); use fewer variants, or istio or consul");
    }
    Map<String, Object> parent = map("group", "", "kind", "Service", "name", plan.service(), "port", port);
    return Docs.resource(API_VERSION, options.isGrpc(plan.service()) ? "GRPCRoute" : "HTTPRoute",
        options.namePrefix() + plan.service(), options, Map.of(), map("parentRefs", list(parent), "rules", rules));
  }

  /** A rule per group of entries, or several of at most {@code perRule} matches each, then the default rule. */
  private List<Object> rules(ServicePlan plan, List<List<ServicePlan.Entry>> groups, int perRule, int port) {
    List<Object> rules = new ArrayList<>();
    for (List<ServicePlan.Entry> group : groups) {
      ServicePlan.Entry first = group.get(0);
      for (int from = 0; from < group.size(); from += perRule) {
        List<Object> matches = new ArrayList<>();
        for (ServicePlan.Entry entry : group.subList(from, Math.min(group.size(), from + perRule))) {
          matches.add(map("headers", headers(plan, entry)));
        }
        rules.add(map("matches", matches, "filters", first.mirror() == null ? null : list(mirror(plan, first, port)),
            "backendRefs", list(backend(plan.service(), first.version(), port))));
      }
    }
    rules.add(map("backendRefs", list(backend(plan.service(), plan.routes().stableVersion(), port))));
    return rules;
  }

  /**
   * Entries sharing a rule, in plan order: an entry joins the previous group when it has the same
   * version and mirror, or else the group of an earlier entry of the same flag with the same
   * version and mirror (variants of one flag exclude each other: a request carries one value of a
   * flag header, and a member-list pattern matches only a flag's first member, so moving an entry
   * ahead of its own flag's other entries changes no request's rule).
   */
  private static List<List<ServicePlan.Entry>> groups(ServicePlan plan) {
    List<List<ServicePlan.Entry>> groups = new ArrayList<>();
    Map<List<Object>, List<ServicePlan.Entry>> byFlagAndOutcome = new LinkedHashMap<>();
    for (ServicePlan.Entry entry : plan.entries()) {
      List<Object> key = Arrays.asList(entry.keys().get(0), entry.version(), entry.mirror());
      List<ServicePlan.Entry> group = byFlagAndOutcome.get(key);
      if (group == null && !groups.isEmpty() && sameOutcome(groups.get(groups.size() - 1).get(0), entry)) {
        group = groups.get(groups.size() - 1);
      }
      if (group == null) {
        group = new ArrayList<>();
        groups.add(group);
      }
      byFlagAndOutcome.putIfAbsent(key, group);
      group.add(entry);
    }
    return groups;
  }

  private static boolean sameOutcome(ServicePlan.Entry a, ServicePlan.Entry b) {
    return a.version().equals(b.version()) && Objects.equals(a.mirror(), b.mirror());
  }

  private static List<Object> headers(ServicePlan plan, ServicePlan.Entry entry) {
    List<Object> headers = new ArrayList<>();
    for (HeaderMatch match : entry.matches()) {
      if (match.value().length() > MAX_VALUE_LENGTH) {
        throw refused(plan, "flag '" + entry.keys().get(0) + "' variant '" + entry.variants().get(0) + "' is matched"
            + " on header '" + match.header() + "' by a " + match.value().length() + "-character value, but Gateway"
            + " API allows " + MAX_VALUE_LENGTH + " characters per header match value (a member-list pattern grows"
            + " with the flag key and member prefix); shorten them, or use the per-flag codec");
      }
      headers.add(map("name", match.header(),
          "type", match.type() == HeaderMatch.Type.EXACT ? "Exact" : "RegularExpression", "value", match.value()));
    }
    return headers;
  }

  /** A {@code RequestMirror} filter: a percent only below 100%, and only where the target has it. */
  private Map<String, Object> mirror(ServicePlan plan, ServicePlan.Entry entry, int port) {
    Mirror mirror = entry.mirror();
    if (mirror.percent() < FULL && target == GatewayApiVersion.V1_1) {
      throw new IllegalArgumentException("service '" + plan.service() + "': flag '" + entry.keys().get(0)
          + "' mirrors " + mirror.percent() + "% of variant '" + entry.variants().get(0) + "' to " + mirror.version()
          + ", but Gateway API " + target + " has no RequestMirror percent, so it mirrors"
          + " all requests or none; mirror 100%, or target Gateway API 1.6");
    }
    return map("type", "RequestMirror", "requestMirror", map(
        "backendRef", backend(plan.service(), mirror.version(), port),
        "percent", mirror.percent() < FULL ? mirror.percent() : null));
  }

  private static Map<String, Object> backend(String service, String version, int port) {
    return map("name", VersionServices.name(service, version), "port", port);
  }

  private static IllegalArgumentException refused(ServicePlan plan, String why) {
    return new IllegalArgumentException("service '" + plan.service() + "': " + why);
  }
}
