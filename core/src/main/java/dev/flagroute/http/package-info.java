/**
 * Outbound HTTP stamping: the current flags written onto OkHttp calls
 * ({@link dev.flagroute.http.FlagStampingInterceptor}) and {@code java.net.http} requests
 * ({@link dev.flagroute.http.FlagHttpRequests}).
 */
package dev.flagroute.http;
