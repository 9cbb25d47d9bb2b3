package dev.flagroute.mesh.internal.ambient;

import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.internal.rules.MeshRule;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServiceRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gateway API routes as an ambient waypoint runs them: evaluated as the Gateway API table
 * evaluates them, except that a Service the documents show is bound to no waypoint gets no rules
 * (its traffic never meets a waypoint), and with the waypoint drift of {@link Waypoints}.
 */
final class AmbientTable implements RuleTable {
  private final RuleTable routes;
  private final Waypoints waypoints;

  AmbientTable(RuleTable routes, Waypoints waypoints) {
    this.routes = routes;
    this.waypoints = waypoints;
  }

  @Override
  public boolean routes(String service) {
    return routes.routes(service);
  }

  @Override
  public ServiceRules rulesFor(String service) {
    if (waypoints.binding(service) == Waypoints.Binding.UNBOUND) {
      return request -> Optional.empty();
    }
    return routes.rulesFor(service);
  }

  @Override
  public List<MeshRule> rules() {
    return routes.rules();
  }

  @Override
  public String versionOf(String service, MeshDestination destination, MeshOptions options) {
    return routes.versionOf(service, destination, options);
  }

  @Override
  public List<Drift> drift() {
    List<Drift> drift = new ArrayList<>(routes.drift());
    drift.addAll(waypoints.drift());
    return drift;
  }

  @Override
  public List<Drift> portDrift(String service, Integer port) {
    return routes.portDrift(service, port);
  }
}
