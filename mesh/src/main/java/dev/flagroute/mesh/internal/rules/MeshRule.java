package dev.flagroute.mesh.internal.rules;

import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRoute;
import java.util.ArrayList;
import java.util.List;

/**
 * One parsed routing rule of any format: an Istio http route or a Gateway API route rule, say.
 * Internal to flagroute-mesh.
 *
 * @param resource the resource holding it, e.g. {@code HTTPRoute shop/reviews}
 * @param name its name, or its path such as {@code spec.rules[1]}
 * @param matches the alternatives, any of which selects the rule; empty matches every request
 * @param destinations where it sends traffic
 * @param mirrors where it sends copies of the traffic
 * @param fault the faults it injects into the requests it routes, such as {@code abort}, or {@code null}
 */
public record MeshRule(String resource, String name, List<Match> matches, List<MeshDestination> destinations,
    List<MeshMirror> mirrors, String fault) {
  /** Copies the lists. */
  public MeshRule {
    matches = List.copyOf(matches);
    destinations = List.copyOf(destinations);
    mirrors = List.copyOf(mirrors);
  }

  /** A rule that injects no fault. */
  public MeshRule(String resource, String name, List<Match> matches, List<MeshDestination> destinations,
      List<MeshMirror> mirrors) {
    this(resource, name, matches, destinations, mirrors, null);
  }

  /** A rule that mirrors nothing and injects no fault. */
  public MeshRule(String resource, String name, List<Match> matches, List<MeshDestination> destinations) {
    this(resource, name, matches, destinations, List.of());
  }

  /**
   * One alternative: all conditions must hold.
   *
   * @param path where it is written, e.g. {@code spec.http[0].match[1]}
   */
  public record Match(List<Condition> conditions, String path) {
    /** Whether {@code request} satisfies every condition. */
    public boolean test(MeshRequest request) {
      for (Condition condition : conditions) {
        if (!condition.test(request)) {
          return false;
        }
      }
      return true;
    }

    /** Whether every request this match selects is selected by {@code other} too. */
    public boolean implies(Match other) {
      for (Condition wanted : other.conditions) {
        if (conditions.stream().noneMatch(c -> c.implies(wanted))) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The requests the rule matches, for findings: {@code requests with header x-flag-a exact 'on'},
   * {@code every request} for a rule without conditions (a path prefix {@code /} is none);
   * alternatives joined by {@code or}, at most three shown.
   */
  public String requests() {
    List<String> alternatives = new ArrayList<>();
    for (Match match : matches) {
      List<String> conditions = match.conditions().stream()
          .filter(c -> !(c instanceof Condition.PathPrefix p && p.prefix().equals("/"))).map(Condition::describe)
          .toList();
      if (conditions.isEmpty()) {
        return "every request";
      }
      alternatives.add(String.join(" and ", conditions));
    }
    if (alternatives.isEmpty()) {
      return "every request";
    }
    String shown = String.join(" or ", alternatives.subList(0, Math.min(3, alternatives.size())));
    return "requests with " + shown + (alternatives.size() > 3 ? " or " + (alternatives.size() - 3) + " more" : "");
  }

  /** The rule as the route evaluator shows it. */
  public MeshRoute toRoute() {
    return new MeshRoute(resource, name, destinations, mirrors);
  }
}
