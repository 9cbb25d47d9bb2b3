/**
 * Outbound stamping for {@code java.net.http}, which has no interceptors:
 * {@link dev.flagroute.jdkhttp.FlagHttpRequests} copies a request with the current flags on it.
 */
package dev.flagroute.jdkhttp;
