package dev.flagroute.mesh;

import java.util.List;

/**
 * The rule a mesh picks for a request, and its destinations.
 *
 * @param resource the resource holding the rule, e.g. {@code VirtualService shop/reviews}
 * @param rule the rule's name, or its position such as {@code spec.http[2]} if unnamed
 * @param destinations where the rule sends traffic, split by weight; empty for a rule that does not
 *     forward (an Istio redirect or direct response, a Gateway API rule without backends)
 */
public record MeshRoute(String resource, String rule, List<MeshDestination> destinations) {
  /** Copies the destinations. */
  public MeshRoute {
    destinations = List.copyOf(destinations);
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
