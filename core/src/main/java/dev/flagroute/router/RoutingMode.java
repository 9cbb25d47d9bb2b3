package dev.flagroute.router;

/** Whether a service decides flags or carries decisions made upstream. Always configured, never guessed. */
public enum RoutingMode {
  /**
   * The first service outside traffic reaches: inbound flag headers are untrusted and dropped, and
   * every routing flag is evaluated through OpenFeature.
   */
  EDGE,
  /**
   * A mesh-internal service: stamped variants are kept exactly and never re-decided; flags with no
   * stamp take their default variant (or are evaluated, when configured).
   */
  RELAY
}
