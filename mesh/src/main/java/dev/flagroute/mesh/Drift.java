package dev.flagroute.mesh;

/**
 * One way existing mesh rules disagree with the flag routes and codec, and the requests it
 * affects.
 *
 * @param kind what is wrong
 * @param where the service, resource or rule concerned
 * @param message what is wrong, in a sentence
 * @param affects the requests the finding affects, e.g. {@code requests to reviews with
 *     checkout=v2} or {@code every request to reviews}
 */
public record Drift(Kind kind, String where, String message, String affects) {
  /** The kinds of drift {@link MeshDriftCheck} finds. */
  public enum Kind {
    /** A flag variant (or the stable version, or a whole service) that no rule routes to its version. */
    MISSING_RULE,
    /** A rule that sends a flag's requests to another version than the routes say. */
    WRONG_VERSION,
    /** A rule matching a flag header value that no variant produces. */
    UNKNOWN_VALUE,
    /** A rule matching the header of a flag that no route defines. */
    UNKNOWN_FLAG,
    /** A rule matching a header name that differs from the codec's (another name, or not lowercase). */
    HEADER_NAME,
    /**
     * A route to a subset nothing defines (an Istio DestinationRule, a Consul ServiceResolver), to
     * a Service the files do not define, or to an SMI HTTPRouteGroup the files do not define.
     */
    UNDEFINED_SUBSET,
    /** A rule that can never be picked, because an earlier or higher-ranked rule matches whatever it matches. */
    SHADOWED,
    /** A variant the routes mirror (a dark launch) whose requests the rules do not mirror. */
    MISSING_MIRROR,
    /**
     * A rule that mirrors a flag's requests otherwise than the routes say: to another version,
     * with another percentage, or where the routes mirror nothing.
     */
    WRONG_MIRROR,
    /**
     * A setting of the mesh that keeps the rules from applying, such as a Consul service whose
     * protocol is not HTTP, or an Istio ambient Service no waypoint serves.
     */
    NOT_APPLIED,
    /**
     * Several routing documents for one host that the mesh does not merge, so it uses one of them
     * only: Istio VirtualServices of one host bound to the mesh ({@code istioctl analyze}: IST0109),
     * or a VirtualService and a Gateway API route for one service.
     */
    CONFLICT,
    /**
     * A rule matching on something other than flag headers (a path, a method, a query parameter,
     * another header) that takes flagged requests away from the version the routes name, because
     * it comes before the flag rules or outranks them.
     */
    CAPTURED,
    /** A rule that injects faults (aborts, delays) into requests a flag routes. */
    FAULT,
    /**
     * A route, backend or mirror on another port than the service's (as configured with
     * {@code MeshOptions.port}), or on a port its Service does not expose.
     */
    WRONG_PORT
  }

  /** {@code KIND where: message; affects ...}, as {@code flagroute check} prints it. */
  @Override
  public String toString() {
    return kind + " " + where + ": " + message + "; affects " + affects;
  }
}
