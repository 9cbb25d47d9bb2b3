/**
 * Outbound stamping for Spring's blocking HTTP clients (RestClient, RestTemplate):
 * {@link dev.flagroute.spring.http.FlagStampingRequestInterceptor}.
 */
package dev.flagroute.spring.http;
