package dev.flagroute.ramp;

/** Where a variant's guarded ramp stands. */
public enum RampState {
  /** Before the ramp's start: the variant reaches no user. */
  PENDING,
  /** Between the first and the last step: the share widens at each interval. */
  RAMPING,
  /** The last step is in force and holds. */
  COMPLETE,
  /** The variant's verdict turned WORSE: it reaches no user for as long as the router lives. */
  ROLLED_BACK
}
