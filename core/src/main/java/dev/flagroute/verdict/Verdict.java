package dev.flagroute.verdict;

import java.time.Duration;
import java.util.Objects;

/**
 * How one non-default variant of a flag compares with the flag's default variant, on error ratio
 * and on latency, with the numbers behind it. Immutable; see {@link VerdictPolicy} for the method.
 *
 * <p>The {@link #state()} sums up both measures: {@link VerdictState#WORSE} if either is worse,
 * else {@link VerdictState#BETTER} if either is better, else {@link VerdictState#NO_DIFFERENCE}
 * once both have enough requests, else {@link VerdictState#NOT_ENOUGH_DATA}.
 *
 * @param flagKey the flag
 * @param variant the non-default variant compared
 * @param state both measures summed up
 * @param errors the share of failed requests on each side
 * @param latency the share of requests slower than {@code slowThreshold} on each side
 * @param slowThreshold the default variant's latency quantile (its p95 unless configured), measured
 *     on its first requests; {@link Duration#ZERO} until measured
 */
public record Verdict(String flagKey, String variant, VerdictState state, Comparison errors, Comparison latency,
    Duration slowThreshold) {
  /** Checks that no component is null. */
  public Verdict {
    Objects.requireNonNull(flagKey, "flagKey");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(errors, "errors");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(slowThreshold, "slowThreshold");
  }
}
