package dev.flagroute.mesh;

import java.util.List;

/**
 * The rule a mesh picks for a request, its destinations, and where it mirrors copies of the
 * request. Immutable.
 *
 * @param resource the resource holding the rule, e.g. {@code VirtualService shop/reviews}
 * @param rule the rule's name, or its position such as {@code spec.http[2]} if unnamed; a mesh's
 *     implicit route is named in parentheses, such as {@code (default subset)} for a Consul request
 *     no ServiceRouter route matches
 * @param destinations where the rule sends traffic, split by weight; empty for a rule that does not
 *     forward (an Istio redirect or direct response, a Gateway API rule without backends)
 * @param mirrors where the rule sends copies of the traffic (a dark launch); usually empty
 */
public record MeshRoute(String resource, String rule, List<MeshDestination> destinations, List<MeshMirror> mirrors) {
  /** Copies the destinations and mirrors. */
  public MeshRoute {
    destinations = List.copyOf(destinations);
    mirrors = List.copyOf(mirrors);
  }

  /** A route that mirrors nothing. */
  public MeshRoute(String resource, String rule, List<MeshDestination> destinations) {
    this(resource, rule, destinations, List.of());
  }

  /**
   * The destination with the largest weight (the first of equals), or {@code null} if the rule
   * does not forward: what a single test request would most likely reach.
   */
  public MeshDestination primary() {
    MeshDestination best = null;
    for (MeshDestination d : destinations) {
      if (best == null || d.weight() > best.weight()) {
        best = d;
      }
    }
    return best;
  }
}
