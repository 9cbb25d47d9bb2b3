package dev.flagroute.context;

/** Where a flag's variant in a {@link FlagContext} came from. */
public enum Source {
  /** Decided here, at the edge, by an OpenFeature evaluation. */
  EVALUATED,
  /** Carried in by a trusted inbound header, decided by an earlier hop. */
  RELAYED,
  /** The flag's default (stable) variant: nothing decided, or the decision failed. */
  DEFAULT,
  /** Forced by an accepted tester override. */
  OVERRIDE
}
