/**
 * Outbound stamping for OkHttp 5: {@link dev.flagroute.okhttp.FlagStampingInterceptor} writes the
 * current flags onto every call of the client it is added to, and, without a mesh,
 * {@link dev.flagroute.okhttp.VersionRoutingInterceptor} sends each call to the version its flags
 * route to.
 */
package dev.flagroute.okhttp;
