package dev.flagroute.evaluation;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What evaluating every routing flag once before traffic found ({@code FlagRouter.warmUp}): which
 * flags the provider and the routes disagree on, each by name. An empty list of problems means
 * every flag was evaluated, had a routable type and answered a variant its route lists.
 *
 * @param evaluated how many routing flags were evaluated
 * @param problems each flag the provider and the routes disagree on, in route order
 */
public record WarmUpReport(int evaluated, List<Problem> problems) {
  /** Checks and copies. */
  public WarmUpReport {
    problems = List.copyOf(problems);
  }

  /** Whether provider and routes agree on every routing flag. */
  public boolean agrees() {
    return problems.isEmpty();
  }

  /** One line per problem, for logs and failure reports. */
  public String describe() {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
  }

  /** What can be wrong with one routing flag at start-up. */
  public enum Kind {
    /** The provider does not know the flag. */
    FLAG_NOT_FOUND,
    /**
     * The flag's type cannot route: routing flags must be string flags, or boolean flags whose
     * route lists exactly the variants {@code true} and {@code false}.
     */
    TYPE_MISMATCH,
    /** The provider answered a variant the route does not list. */
    UNLISTED_VARIANT,
    /** The provider is not ready (or in an error state), so nothing could be checked. */
    PROVIDER_NOT_READY,
    /** The provider returned another error, or threw. */
    ERROR,
    /** The provider did not answer within the warm-up's bound. */
    TIMED_OUT
  }

  /**
   * One flag the provider and the routes disagree on.
   *
   * @param flagKey the routing flag
   * @param kind what is wrong
   * @param detail what the provider said, for people
   */
  public record Problem(String flagKey, Kind kind, String detail) {
    /** Checks. */
    public Problem {
      Objects.requireNonNull(flagKey, "flagKey");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return "flag '" + flagKey + "': " + kind + " (" + detail + ")";
    }
  }
}
