package dev.flagroute.mesh.internal.consul;

import static dev.flagroute.mesh.internal.rules.Docs.map;

import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Docs;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Consul config entries for planned services, in apply order: a ServiceDefaults per service
 * ({@code protocol: http}, or {@code grpc} for gRPC services: Consul applies routers only to
 * HTTP-based services), a ServiceResolver per service (a subset per version whose filter is
 * {@code Service.Meta.<version label> == "<version>"}, the stable version its
 * {@code defaultSubset}), then a ServiceRouter per service with a route per plan entry, in the
 * plan's first-match order, each sending its requests to the entry's version's subset. No
 * catch-all route is written: Consul sends a request no route matches to the default subset.
 *
 * <p>Config entries are named after their service, so a name prefix is refused; Consul has no
 * request mirroring, so routes that mirror a variant are refused.
 */
final class ConsulGenerator {
  static final String API_VERSION = "consul.hashicorp.com/v1alpha1";
  /** Service meta keys pods get from {@code consul.hashicorp.com/service-meta-<key>} (an annotation name of at most 63). */
  private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_]{0,48}[A-Za-z0-9])?");
  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private ConsulGenerator() {}

  static List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    check(plans, options);
    List<Map<String, Object>> docs = new ArrayList<>();
    plans.forEach(plan -> docs.add(Docs.resource(API_VERSION, "ServiceDefaults", plan.service(), options, Map.of(),
        map("protocol", options.isGrpc(plan.service()) ? "grpc" : "http"))));
    plans.forEach(plan -> docs.add(resolver(plan, options)));
    plans.forEach(plan -> docs.add(router(plan, options)));
    return docs;
  }

  private static void check(List<ServicePlan> plans, MeshOptions options) {
    if (!options.namePrefix().isEmpty()) {
      throw new IllegalArgumentException("Consul names each config entry after its service, so the name prefix '"
          + options.namePrefix() + "' cannot apply; generate Consul rules without one");
    }
    if (!META_KEY.matcher(options.versionLabel()).matches()) {
      throw new IllegalArgumentException("Consul subsets select versions by service meta, which pods get from the"
          + " annotation consul.hashicorp.com/service-meta-<key>, but the version label '" + options.versionLabel()
          + "' is no such key (letters, digits, '-' and '_', at most 50); use a version label such as 'version'");
    }
    for (ServicePlan plan : plans) {
      if (!SERVICE_NAME.matcher(plan.service()).matches()) {
        throw new IllegalArgumentException("service name '" + plan.service() + "' is not a Consul service name on"
            + " Kubernetes (the name of its Service, a DNS label); name the service without dots and set the"
            + " namespace in MeshOptions");
      }
      plan.refuseMirrors("Consul has no request mirroring (a ServiceRouter route has one destination);"
          + " use istio or gateway-api for dark launches");
    }
  }

  private static Map<String, Object> resolver(ServicePlan plan, MeshOptions options) {
    Map<String, Object> subsets = new LinkedHashMap<>();
    for (String version : plan.routes().versions()) {
      subsets.put(version, map("filter", "Service.Meta." + options.versionLabel() + " == \"" + version + "\""));
    }
    return Docs.resource(API_VERSION, "ServiceResolver", plan.service(), options, Map.of(),
        map("defaultSubset", plan.routes().stableVersion(), "subsets", subsets));
  }

  private static Map<String, Object> router(ServicePlan plan, MeshOptions options) {
    List<Object> routes = new ArrayList<>();
    for (ServicePlan.Entry entry : plan.entries()) {
      List<Object> headers = new ArrayList<>();
      for (HeaderMatch match : entry.matches()) {
        headers.add(map("name", match.header(), match.type() == HeaderMatch.Type.EXACT ? "exact" : "regex",
            match.value()));
      }
      routes.add(map("match", map("http", map("header", headers)),
          "destination", map("serviceSubset", entry.version())));
    }
    return Docs.resource(API_VERSION, "ServiceRouter", plan.service(), options, Map.of(),
        routes.isEmpty() ? map() : map("routes", routes));
  }
}
