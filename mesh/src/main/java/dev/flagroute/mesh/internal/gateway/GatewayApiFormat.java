package dev.flagroute.mesh.internal.gateway;

import dev.flagroute.mesh.GatewayApiVersion;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes Gateway API {@code v1} in GAMMA mesh mode: a Service per version, and HTTPRoutes or
 * GRPCRoutes attached to each service, whose most specific match wins. Header names match ignoring
 * case. Generation targets one {@link GatewayApiVersion}; reading takes any. Evaluation follows the
 * data plane: Envoy (Istio, Envoy Gateway, Consul) matches a repeated header's values joined with
 * {@code ","}, linkerd2-proxy matches each value on its own. Linkerd cannot mirror: its format refuses
 * mirrored variants. Internal to
 * flagroute-mesh: use {@code MeshFormat.GATEWAY_API}, {@code MeshFormat.LINKERD} or
 * {@code MeshFormat.gatewayApi(version)}.
 */
public final class GatewayApiFormat implements RuleFormat {
  /** Why Linkerd gets no mirror: checked in linkerd/linkerd2's policy controller (outbound route indexing). */
  private static final String LINKERD_MIRRORS = "Linkerd's policy controller refuses a route with a RequestMirror"
      + " filter (\"RequestMirror filter is not supported\") and then ignores the whole route, flag matches"
      + " included; generate Linkerd rules from routes without mirrors, or use istio or gateway-api for dark launches";

  private final String id;
  private final String description;
  private final GatewayApiVersion target;
  private final boolean linkerd;

  /**
   * A format named {@code id} generating for {@code target}.
   *
   * @param description what it writes, for usage texts
   * @param linkerd whether Linkerd runs the routes: linkerd2-proxy, not Envoy, evaluates them, and
   *     mirrors are refused, as Linkerd's policy controller ignores a route with a {@code RequestMirror} filter
   */
  public GatewayApiFormat(String id, String description, GatewayApiVersion target, boolean linkerd) {
    this.id = id;
    this.description = description;
    this.target = target;
    this.linkerd = linkerd;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<ResourceKind> routingKinds() {
    return List.of(GatewayApiReader.HTTP_ROUTE, GatewayApiReader.GRPC_ROUTE);
  }

  @Override
  public List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    if (linkerd) {
      plans.forEach(plan -> plan.refuseMirrors(LINKERD_MIRRORS));
    }
    return new GatewayApiGenerator(target).generate(plans, options);
  }

  @Override
  public RuleTable read(List<Resource> resources) {
    return GatewayApiReader.read(resources, linkerd);
  }
}
