package dev.flagroute.mesh.gateway;

import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.rules.Resource;
import dev.flagroute.mesh.rules.ResourceKind;
import dev.flagroute.mesh.rules.RuleFormat;
import dev.flagroute.mesh.rules.RuleTable;
import dev.flagroute.mesh.rules.ServicePlan;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes Gateway API {@code v1} in GAMMA mesh mode: a Service per version, and HTTPRoutes or
 * GRPCRoutes attached to each service, whose most specific match wins. Header names match ignoring
 * case. Internal to flagroute-mesh: use {@code MeshFormat.GATEWAY_API}.
 */
public final class GatewayApiFormat implements RuleFormat {
  @Override
  public String id() {
    return "gateway-api";
  }

  @Override
  public String description() {
    return "Gateway API (GAMMA) per-version Services and HTTPRoutes or GRPCRoutes";
  }

  @Override
  public List<ResourceKind> routingKinds() {
    return List.of(GatewayApiReader.HTTP_ROUTE, GatewayApiReader.GRPC_ROUTE);
  }

  @Override
  public List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    return GatewayApiGenerator.generate(plans, options);
  }

  @Override
  public RuleTable read(List<Resource> resources) {
    return GatewayApiReader.read(resources);
  }
}
