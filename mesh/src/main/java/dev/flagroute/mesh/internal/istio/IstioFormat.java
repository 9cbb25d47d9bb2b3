package dev.flagroute.mesh.internal.istio;

import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.ResourceKind;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Istio {@code networking.istio.io/v1}: DestinationRules with a subset per version, and
 * VirtualServices whose http routes are tried first match first. Header keys are matched as
 * written, and Envoy stores header names in lowercase, so a key that is not lowercase never
 * matches. Internal to flagroute-mesh: use {@code MeshFormat.ISTIO}.
 */
public final class IstioFormat implements RuleFormat {
  @Override
  public String id() {
    return "istio";
  }

  @Override
  public String description() {
    return "Istio DestinationRules and VirtualServices";
  }

  @Override
  public List<ResourceKind> routingKinds() {
    return List.of(IstioReader.VIRTUAL_SERVICE);
  }

  @Override
  public List<Map<String, Object>> generate(List<ServicePlan> plans, MeshOptions options) {
    return IstioGenerator.generate(plans, options);
  }

  @Override
  public RuleTable read(List<Resource> resources) {
    return IstioReader.read(resources);
  }

  @Override
  public Optional<String> headerNameProblem(String name) {
    return name.equals(name.toLowerCase(Locale.ROOT)) ? Optional.empty()
        : Optional.of("header key '" + name + "' is not lowercase, so Envoy never matches it");
  }
}
