package dev.flagroute.guard;

/** The state of the rollout guard for one variant of a flag, as in a circuit breaker. */
public enum GuardState {
  /** The variant is decided as the provider says; its outcomes are counted. */
  CLOSED,
  /** The variant failed: requests decided for it get the flag's default variant until the cool-down ends. */
  OPEN,
  /** After the cool-down: a share of the variant's requests go through, and their outcomes decide. */
  HALF_OPEN,
  /**
   * An operator switched the variant off (a kill switch): requests decided for it get the flag's
   * default variant until an operator switches it back on. Outcomes change nothing.
   */
  FORCED_OFF
}
