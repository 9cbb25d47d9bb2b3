package dev.flagroute.mesh.internal.rules;

import dev.flagroute.mesh.MeshRequest;
import java.util.List;
import java.util.Optional;

/**
 * Rules tried in list order, the first match winning, as Istio (and Consul) order them: which
 * rule a request gets, and which rule an earlier one shadows. A rule without matches matches
 * every request. Internal to flagroute-mesh.
 */
public final class FirstMatch {
  private FirstMatch() {}

  /** The first of {@code rules} that {@code request} matches. */
  public static Optional<Hit> hit(List<MeshRule> rules, MeshRequest request) {
    for (MeshRule rule : rules) {
      if (rule.matches().isEmpty()) {
        return Optional.of(new Hit(rule, null));
      }
      for (MeshRule.Match match : rule.matches()) {
        if (match.test(request)) {
          return Optional.of(new Hit(rule, match));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The first of {@code earlier} rules that matches whatever {@code later} matches, so that
   * {@code later} can never be picked; empty if there is none (or none is proven).
   */
  public static Optional<MeshRule> shadowOf(List<MeshRule> earlier, MeshRule later) {
    for (MeshRule rule : earlier) {
      if (rule.matches().isEmpty()) {
        return Optional.of(rule);
      }
    }
    if (later.matches().isEmpty()) {
      return Optional.empty();
    }
    MeshRule first = null;
    for (MeshRule.Match match : later.matches()) {
      MeshRule covering = null;
      for (MeshRule rule : earlier) {
        if (rule.matches().stream().anyMatch(match::implies)) {
          covering = rule;
          break;
        }
      }
      if (covering == null) {
        return Optional.empty();
      }
      first = first == null ? covering : first;
    }
    return Optional.ofNullable(first);
  }
}
