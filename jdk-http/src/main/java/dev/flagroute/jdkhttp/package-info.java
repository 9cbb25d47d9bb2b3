/**
 * Outbound stamping for {@code java.net.http}, which has no interceptors:
 * {@link dev.flagroute.jdkhttp.FlagHttpRequests} copies a request with the current flags on it;
 * without a mesh, {@link dev.flagroute.jdkhttp.VersionRoutingHttpClient} sends each request to the
 * version its flags route to.
 */
package dev.flagroute.jdkhttp;
