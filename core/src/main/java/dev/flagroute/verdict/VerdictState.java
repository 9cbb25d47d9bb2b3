package dev.flagroute.verdict;

/** Where the comparison of a variant with its flag's default variant stands. */
public enum VerdictState {
  /** Fewer requests than the policy's minimum on either side: nothing is claimed yet. */
  NOT_ENOUGH_DATA,
  /** Enough requests, and no difference shown so far (the test has not rejected equality). */
  NO_DIFFERENCE,
  /** The variant is shown to be worse than the default (more errors or more slow requests). */
  WORSE,
  /** The variant is shown to be better than the default (fewer errors or fewer slow requests). */
  BETTER
}
