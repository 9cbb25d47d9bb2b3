package dev.flagroute.router;

/** What an operator does to one guarded variant, through {@link GuardOperator}. */
enum OperatorAction {
  /** The kill switch: the variant is held back until switched on. */
  FORCE_OFF,
  /** Lifts the kill switch: the variant is decided as the provider says, on a fresh window. */
  FORCE_ON,
  /** Forgets the evidence: a fresh window, and a tripped or probing variant closes. */
  RESET
}
