/**
 * Outbound stamping for OkHttp 5: {@link dev.flagroute.okhttp.FlagStampingInterceptor} writes the
 * current flags onto every call of the client it is added to.
 */
package dev.flagroute.okhttp;
