package dev.flagroute.mesh.internal.smi;

import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import java.util.List;
import java.util.Map;

/**
 * The Service Mesh Interface: {@code split.smi-spec.io/v1alpha4} TrafficSplits and
 * {@code specs.smi-spec.io/v1alpha4} HTTPRouteGroups, with per-version and root Services.
 * Internal to flagroute-mesh: use {@code MeshFormat.SMI}.
 */
public final class SmiFormat implements RuleFormat {
  @Override
  public String id() {
    return "smi";
  }

  @Override
  public String description() {
    return "SMI TrafficSplits and HTTPRouteGroups (v1alpha4), per-version and root Services";
  }

  @Override
  public List<ResourceKind> routingKinds() {
    return List.of(SmiReader.TRAFFIC_SPLIT);
  }

  @Override
  public List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    return SmiGenerator.generate(plans, options);
  }

  @Override
  public RuleTable read(List<Resource> resources) {
    return SmiReader.read(resources);
  }
}
