package dev.flagroute.mesh.internal.istio;

import static dev.flagroute.mesh.internal.rules.Docs.list;
import static dev.flagroute.mesh.internal.rules.Docs.map;

import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Docs;
import dev.flagroute.mesh.internal.rules.RuleNames;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.routes.Mirror;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio {@code networking.istio.io/v1} resources for planned services: a DestinationRule with a
 * subset per version, then one VirtualService per host whose http routes follow the plan's
 * first-match order, the default route last. A mirrored entry's route gets {@code mirrors} with
 * the mirror's subset and {@code percentage} (absent, Istio would mirror everything).
 */
final class IstioGenerator {
  private static final String API_VERSION = "networking.istio.io/v1";
  /** Istio's validation webhook rejects longer regexes (Envoy's RE2 program size limit). */
  private static final int MAX_REGEX_LENGTH = 1024;

  private IstioGenerator() {}

  static List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    List<Map<String, Object>> docs = new ArrayList<>();
    plans.forEach(plan -> docs.add(destinationRule(plan, options)));
    plans.forEach(plan -> docs.add(virtualService(plan, options)));
    return docs;
  }

  private static Map<String, Object> destinationRule(ServicePlan plan, MeshOptions options) {
    List<Object> subsets = new ArrayList<>();
    for (String version : plan.routes().versions()) {
      subsets.add(map("name", version, "labels", map(options.versionLabel(), version)));
    }
    return Docs.resource(API_VERSION, "DestinationRule", options.namePrefix() + plan.service(), options, Map.of(),
        map("host", plan.service(), "subsets", subsets));
  }

  private static Map<String, Object> virtualService(ServicePlan plan, MeshOptions options) {
    List<Object> http = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ServicePlan.Entry entry : plan.entries()) {
      Map<String, Object> headers = new LinkedHashMap<>();
      for (HeaderMatch match : entry.matches()) {
        headers.put(match.header(), stringMatch(plan.service(), match));
      }
      http.add(map("name", RuleNames.unique(routeName(entry), names), "match", list(map("headers", headers)),
          "route", list(destination(plan, entry.version(), options)),
          "mirrors", entry.mirror() == null ? null : list(mirror(plan, entry.mirror(), options))));
    }
    http.add(map("name", "default", "route", list(destination(plan, plan.routes().stableVersion(), options))));
    return Docs.resource(API_VERSION, "VirtualService", options.namePrefix() + plan.service(), options, Map.of(),
        map("hosts", list(plan.service()), "http", http));
  }

  private static Map<String, Object> destination(ServicePlan plan, String version, MeshOptions options) {
    return map("destination", target(plan, version, options));
  }

  private static Map<String, Object> mirror(ServicePlan plan, Mirror mirror, MeshOptions options) {
    return map("destination", target(plan, mirror.version(), options), "percentage", map("value", mirror.percent()));
  }

  private static Map<String, Object> target(ServicePlan plan, String version, MeshOptions options) {
    Integer port = options.port(plan.service());
    return map("host", plan.service(), "subset", version, "port", port == null ? null : map("number", port));
  }

  private static Map<String, Object> stringMatch(String service, HeaderMatch match) {
    if (match.type() == HeaderMatch.Type.EXACT) {
      return map("exact", match.value());
    }
    if (match.value().length() > MAX_REGEX_LENGTH) {
      throw new IllegalArgumentException("service '" + service + "': the regex matching header '" + match.header()
          + "' is " + match.value().length() + " characters, over Istio's limit of " + MAX_REGEX_LENGTH
          + " (a member-list pattern grows with its key: shorten the flag key or member prefix, or use the"
          + " per-flag codec)");
    }
    return map("regex", match.value());
  }

  /** {@code flag-checkout-v2}; made unique by {@link RuleNames}. */
  private static String routeName(ServicePlan.Entry entry) {
    return "flag-" + entry.keys().get(0) + "-" + entry.variants().get(0);
  }
}
