package dev.flagroute.mesh.internal.ambient;

import static dev.flagroute.mesh.internal.rules.Docs.list;
import static dev.flagroute.mesh.internal.rules.Docs.map;

import dev.flagroute.mesh.GatewayApiVersion;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.gateway.GatewayApiFormat;
import dev.flagroute.mesh.internal.rules.Docs;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.mesh.internal.rules.VersionServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio in ambient mode, where the destination's waypoint proxy enforces L7 routing, configured
 * through Gateway API. Writes, in apply order: the waypoint ({@code Gateway} of class
 * {@code istio-waypoint}, listener {@code mesh} on 15008/HBONE, for service-addressed traffic);
 * per routed service its root Service labelled {@code istio.io/use-waypoint} (so its traffic passes
 * the waypoint) and {@code istio.io/ingress-use-waypoint: "true"} (so traffic from an ingress
 * gateway does too: any routed service may be the edge's first callee); a Service per version;
 * then the HTTPRoutes or GRPCRoutes of {@code gateway-api} (Gateway API 1.6), attached to the root
 * Services. Never a VirtualService or DestinationRule: Istio calls VirtualService in ambient Alpha,
 * and mixing it with Gateway API routes for one host undefined. Reads the routes as Envoy (the
 * waypoint) evaluates them, except that routes attached to a Service the documents show is not
 * bound to a waypoint apply to nothing, as in the cluster. Internal to flagroute-mesh: use
 * {@code MeshFormat.ISTIO_AMBIENT}.
 */
public final class IstioAmbientFormat implements RuleFormat {
  /** The GatewayClass Istio provisions waypoints for. */
  static final String WAYPOINT_CLASS = "istio-waypoint";
  /** The label binding a Service (or namespace) to a waypoint. */
  static final String USE_WAYPOINT = "istio.io/use-waypoint";
  /** The label sending an ingress gateway's traffic for a Service through its waypoint. */
  static final String INGRESS_USE_WAYPOINT = "istio.io/ingress-use-waypoint";
  static final ResourceKind GATEWAY = new ResourceKind("gateway.networking.k8s.io", "Gateway");
  private static final String FORMAT = "Istio ambient";
  /** The HBONE port waypoints listen on. */
  private static final int HBONE_PORT = 15008;

  private final GatewayApiFormat routes = new GatewayApiFormat("istio-ambient",
      "Gateway API routes for an Istio ambient waypoint", GatewayApiVersion.V1_6, false);

  @Override
  public String id() {
    return "istio-ambient";
  }

  @Override
  public String description() {
    return "Istio ambient mode: a waypoint Gateway, the routed Services bound to it, per-version Services and"
        + " HTTPRoutes or GRPCRoutes";
  }

  @Override
  public List<ResourceKind> routingKinds() {
    return routes.routingKinds();
  }

  /** Documents are ambient when they hold a waypoint, or a Service or Namespace bound to one. */
  @Override
  public boolean appearsIn(List<Resource> resources) {
    return resources.stream().anyMatch(r -> Waypoints.isWaypoint(r)
        || ("Service".equals(r.kind()) || "Namespace".equals(r.kind())) && "v1".equals(r.apiVersion())
        && r.labels().containsKey(USE_WAYPOINT));
  }

  @Override
  public List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    List<Map<String, Object>> docs = new ArrayList<>();
    docs.add(waypoint(options));
    for (ServicePlan plan : plans) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(USE_WAYPOINT, options.waypoint());
      labels.put(INGRESS_USE_WAYPOINT, "true");
      docs.add(VersionServices.root(plan, options, FORMAT, labels));
    }
    docs.addAll(routes.generate(plans, options));
    return docs;
  }

  @Override
  public RuleTable read(List<Resource> resources) {
    return new AmbientTable(routes.read(resources), Waypoints.read(resources));
  }

  private static Map<String, Object> waypoint(MeshOptions options) {
    Map<String, Object> listener = map("name", "mesh", "port", HBONE_PORT, "protocol", "HBONE");
    return Docs.resource(GATEWAY.group() + "/v1", GATEWAY.kind(), options.waypoint(), options,
        Map.of("istio.io/waypoint-for", "service"), map("gatewayClassName", WAYPOINT_CLASS, "listeners", list(listener)));
  }
}
