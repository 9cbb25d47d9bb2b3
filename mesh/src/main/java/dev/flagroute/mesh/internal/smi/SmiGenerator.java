package dev.flagroute.mesh.internal.smi;

import static dev.flagroute.mesh.internal.rules.Docs.list;
import static dev.flagroute.mesh.internal.rules.Docs.map;

import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Docs;
import dev.flagroute.mesh.internal.rules.Re2;
import dev.flagroute.mesh.internal.rules.RuleNames;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.mesh.internal.rules.VersionServices;
import dev.flagroute.routes.FlagRoute;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SMI resources for planned services, in apply order: per service a Service per version and the
 * root Service (named after the service, selecting only the stable version: the specification
 * sends requests no split matches to "the Kubernetes service that matches the root name"); then an
 * HTTPRouteGroup per service with a match per flag variant that leaves the stable version; then a
 * TrafficSplit per service sending what the group matches to the other version's Service (the
 * stable one listed at weight 0, as the specification's A/B example does).
 *
 * <p><b>What SMI can express.</b> One TrafficSplit per root Service, whose matches all lead to
 * the same backends, and matches that cannot require a header to be absent. So a service is
 * refused when its flags reach more than one version besides the stable one, when a flag keeps a
 * variant on the stable version ahead of a later flag leaving it (the precedence rule would need
 * "that header absent"), or when it mirrors a variant (SMI has no mirroring). Header values are
 * regexes; each is anchored, so it means the same whether an implementation matches it whole or
 * in part.
 */
final class SmiGenerator {
  static final String SPLIT_API = "split.smi-spec.io/v1alpha4";
  static final String SPECS_API = "specs.smi-spec.io/v1alpha4";
  private static final String FORMAT = "SMI";

  private SmiGenerator() {}

  static List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    List<String> others = new ArrayList<>();
    for (ServicePlan plan : plans) {
      others.add(otherVersion(plan));
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (ServicePlan plan : plans) {
      docs.addAll(VersionServices.of(plan, options, FORMAT));
      docs.add(VersionServices.service(plan.service(), plan.service(), plan.routes().stableVersion(), options,
          FORMAT));
    }
    for (int i = 0; i < plans.size(); i++) {
      if (others.get(i) != null) {
        docs.add(routeGroup(plans.get(i), others.get(i), options));
      }
    }
    for (int i = 0; i < plans.size(); i++) {
      docs.add(split(plans.get(i), others.get(i), options));
    }
    return docs;
  }

  /**
   * The one version besides the stable one that the service's flags reach, or {@code null} if none.
   *
   * @throws IllegalArgumentException if SMI cannot express the service's routes, saying why
   */
  private static String otherVersion(ServicePlan plan) {
    String service = "service '" + plan.service() + "': ";
    String stable = plan.routes().stableVersion();
    List<String> others = plan.routes().versions().stream().filter(v -> !v.equals(stable)).toList();
    plan.refuseMirrors("SMI has no request mirroring; use istio or gateway-api for dark launches");
    if (others.size() > 1) {
      throw new IllegalArgumentException(service + "its flags reach " + others + " besides the stable version "
          + stable + ", but an SMI TrafficSplit sends every request it matches to the same backends, and the"
          + " specification does not define several splits for one root Service; steer it to one version besides"
          + " the stable one, or use istio, gateway-api or consul");
    }
    FlagRoute staysStable = null;
    for (FlagRoute flag : plan.routes().flags()) {
      boolean leaves = flag.variants().values().stream().anyMatch(v -> !v.equals(stable));
      if (leaves && staysStable != null) {
        throw new IllegalArgumentException(service + "flag '" + staysStable.key() + "' keeps variant '"
            + stableVariant(staysStable, stable) + "' on the stable version " + stable + " ahead of flag '"
            + flag.key() + "', which leaves it; SMI matches cannot require a header to be absent, so a split cannot"
            + " keep such requests on " + stable + "; declare flag '" + flag.key() + "' first, or use istio,"
            + " gateway-api or consul");
      }
      if (staysStable == null && stableVariant(flag, stable) != null) {
        staysStable = flag;
      }
    }
    return others.isEmpty() ? null : others.get(0);
  }

  /** The first non-default variant of {@code flag} served by the stable version, or {@code null}. */
  private static String stableVariant(FlagRoute flag, String stable) {
    return flag.variants().entrySet().stream()
        .filter(e -> !e.getKey().equals(flag.defaultVariant()) && e.getValue().equals(stable))
        .map(Map.Entry::getKey).findFirst().orElse(null);
  }

  private static Map<String, Object> routeGroup(ServicePlan plan, String version, MeshOptions options) {
    List<Object> matches = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ServicePlan.Entry entry : plan.entries()) {
      if (entry.size() == 1 && entry.version().equals(version)) {
        HeaderMatch match = entry.matches().get(0);
        String regex = match.type() == HeaderMatch.Type.EXACT ? "^" + Re2.quote(match.value()) + "$"
            : Re2.anchored(match.value());
        String name = RuleNames.unique("flag-" + entry.keys().get(0) + "-" + entry.variants().get(0), names);
        matches.add(map("name", name,
            "headers", list(map(match.header(), regex))));
      }
    }
    return Docs.resource(SPECS_API, "HTTPRouteGroup", options.namePrefix() + plan.service(), options, Map.of(),
        map("matches", matches));
  }

  private static Map<String, Object> split(ServicePlan plan, String version, MeshOptions options) {
    String stable = plan.routes().stableVersion();
    List<Object> backends = list(map("service", VersionServices.name(plan.service(), stable),
        "weight", version == null ? 100 : 0));
    if (version != null) {
      backends.add(map("service", VersionServices.name(plan.service(), version), "weight", 100));
    }
    return Docs.resource(SPLIT_API, "TrafficSplit", options.namePrefix() + plan.service(), options, Map.of(),
        map("service", plan.service(),
            "matches", version == null ? null
                : list(map("kind", "HTTPRouteGroup", "name", options.namePrefix() + plan.service())),
            "backends", backends));
  }
}
