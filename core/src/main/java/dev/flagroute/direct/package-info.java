/**
 * Routing without a mesh: the client picks the address of the version a request's flags route to,
 * by a host naming rule ({@link dev.flagroute.direct.VersionAddresses}) and the routes' precedence
 * rule, and falls back, counted, to the stable version when that version has no instance
 * ({@link dev.flagroute.direct.VersionRouting}). The HTTP and gRPC client modules apply it.
 */
package dev.flagroute.direct;
