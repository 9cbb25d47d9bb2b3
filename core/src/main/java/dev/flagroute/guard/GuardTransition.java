package dev.flagroute.guard;

/**
 * The rollout guard changed state for one variant of a flag, on evidence or by an operator.
 *
 * @param flagKey the guarded flag
 * @param variant the non-default variant whose state changed
 * @param from the state before
 * @param to the state now
 * @param users the distinct users with an outcome in the window (or among the probes) that
 *     decided it; 0 for an operator's action
 * @param failureRatio the share of them with a server-side failure, in [0, 1]
 * @param defaultFailureRatio the same share for the flag's default variant over the window
 * @param cause whether outcomes or an operator made the change
 */
public record GuardTransition(String flagKey, String variant, GuardState from, GuardState to, long users,
    double failureRatio, double defaultFailureRatio, Cause cause) {
  /** What made the guard change state. */
  public enum Cause {
    /** The outcomes of users' requests, by the {@link GuardPolicy}. */
    EVIDENCE,
    /** An operator: forced the variant off, back on, or reset its guard. */
    OPERATOR
  }
}
