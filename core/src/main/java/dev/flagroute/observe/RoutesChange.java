package dev.flagroute.observe;

import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Objects;

/**
 * A router was given new routes while running: accepted, so requests routed from now on use them,
 * or refused, so the routes in force stay.
 *
 * @param source where the new routes came from, such as a file name
 * @param routes the routes in force after the change: the new ones if accepted, the old ones if not
 * @param problems why the new routes were refused; empty when they were accepted
 */
public record RoutesChange(String source, FlagRoutes routes, List<String> problems) {
  /** Checks and copies. */
  public RoutesChange {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(routes, "routes");
    problems = List.copyOf(problems);
  }

  /** Whether the new routes are in force. */
  public boolean accepted() {
    return problems.isEmpty();
  }
}
