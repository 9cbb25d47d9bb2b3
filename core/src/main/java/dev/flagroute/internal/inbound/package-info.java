/**
 * What the servlet, WebFlux and gRPC adapters show applications of a request's inbound headers
 * ({@link dev.flagroute.internal.inbound.InboundView}). Not API: the module exports this package to
 * flagroute's own modules only, and it may change in any release.
 */
package dev.flagroute.internal.inbound;
