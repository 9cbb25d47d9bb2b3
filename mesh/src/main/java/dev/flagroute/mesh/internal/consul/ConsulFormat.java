package dev.flagroute.mesh.internal.consul;

import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import java.util.List;
import java.util.Map;

/**
 * Consul service mesh on Kubernetes, {@code consul.hashicorp.com/v1alpha1} config entries as
 * consul-k8s 2.0 defines them: ServiceDefaults, ServiceResolver and ServiceRouter per service.
 * Internal to flagroute-mesh: use {@code MeshFormat.CONSUL}.
 */
public final class ConsulFormat implements RuleFormat {
  @Override
  public String id() {
    return "consul";
  }

  @Override
  public String description() {
    return "Consul ServiceDefaults, ServiceResolvers (a subset per version) and ServiceRouters";
  }

  @Override
  public List<ResourceKind> routingKinds() {
    return List.of(ConsulReader.SERVICE_ROUTER);
  }

  @Override
  public List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    return ConsulGenerator.generate(plans, options);
  }

  @Override
  public RuleTable read(List<Resource> resources) {
    return ConsulReader.read(resources);
  }
}
