package dev.flagroute.mesh.internal.smi;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.Hit;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServiceName;
import dev.flagroute.mesh.internal.rules.ServiceRules;
import dev.flagroute.mesh.internal.rules.ServiceSelectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SMI TrafficSplits read for evaluation, as the v1alpha4 specification describes them: a request
 * to the root Service that a split's HTTPRouteGroups match (or any request, for a split without
 * matches) goes to the split's backends by weight; any other request is "handled by the
 * Kubernetes service with the same name as spec.service" ({@code (root Service)} in
 * {@link dev.flagroute.mesh.MeshRoute#rule()}), so it reaches what the root Service selects.
 */
final class SmiTable implements RuleTable {
  /**
   * A TrafficSplit of one root Service.
   *
   * @param filtered whether it names route groups; if so, only requests they match are split
   * @param rule its matches (of every named group) and backends
   * @param missingGroups the route groups it names that the documents do not hold
   */
  record Split(Resource resource, ServiceName root, boolean filtered, MeshRule rule, List<String> missingGroups) {}

  private final List<Split> splits;
  private final ServiceSelectors services;

  SmiTable(List<Split> splits, ServiceSelectors services) {
    this.splits = List.copyOf(splits);
    this.services = services;
  }

  @Override
  public boolean routes(String service) {
    return split(service).isPresent();
  }

  @Override
  public ServiceRules rulesFor(String service) {
    Optional<Split> found = split(service);
    if (found.isEmpty()) {
      return request -> Optional.empty();
    }
    Split split = found.get();
    ServiceName root = split.root;
    Hit toRoot = new Hit(new MeshRule(split.resource.label(), "(root Service)", List.of(), List.of(
        new MeshDestination(root.namespace() == null ? root.name() : root.name() + "." + root.namespace(), null,
            null, 1))), null);
    if (!split.filtered) {
      Hit all = new Hit(split.rule, null);
      return request -> Optional.of(all);
    }
    return request -> {
      for (MeshRule.Match match : split.rule.matches()) {
        if (match.test(request)) {
          return Optional.of(new Hit(split.rule, match));
        }
      }
      return Optional.of(toRoot);
    };
  }

  @Override
  public List<MeshRule> rules() {
    return splits.stream().map(Split::rule).toList();
  }

  /** The version the Service selects; see {@link ServiceSelectors#versionOf}. */
  @Override
  public String versionOf(String service, MeshDestination destination, MeshOptions options) {
    return services.versionOf(service, destination.host(), options);
  }

  /** Route groups the splits name that the documents lack, and backends naming Services they lack (when they hold any). */
  @Override
  public List<Drift> drift() {
    List<Drift> drift = new ArrayList<>();
    for (Split split : splits) {
      for (String group : split.missingGroups) {
        drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, split.resource.label(), "matches HTTPRouteGroup '" + group
            + "', which the given files do not define", "the flagged requests to " + split.resource.name()
            + " the split is meant for: they stay on the root Service"));
      }
      for (MeshDestination backend : split.rule.destinations()) {
        if (!services.isEmpty() && !services.defines(backend.host(), split.resource.namespace())) {
          drift.add(new Drift(Drift.Kind.UNDEFINED_SUBSET, split.resource.label(), "splits to Service '"
              + backend.host() + "', which the given files do not define", "the requests the split sends there"));
        }
      }
    }
    return drift;
  }

  private Optional<Split> split(String service) {
    ServiceName wanted = ServiceName.parse(service, null);
    return splits.stream().filter(s -> s.root.sameAs(wanted)).findFirst();
  }
}
