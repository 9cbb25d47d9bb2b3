/**
 * The request's flags in Micrometer Tracing: {@link dev.flagroute.spring.tracing.TracingFlagBaggage} (baggage
 * fields named as the codec writes them, span tags), applied per request by
 * {@link dev.flagroute.spring.tracing.FlagBaggageFilter} (servlet) and
 * {@link dev.flagroute.spring.tracing.FlagBaggageWebFilter} (WebFlux).
 */
package dev.flagroute.spring.tracing;
