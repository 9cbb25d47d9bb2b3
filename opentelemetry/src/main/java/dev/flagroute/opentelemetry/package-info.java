/**
 * OpenTelemetry for flag routing: {@link dev.flagroute.opentelemetry.FlagTraces}, a routing
 * listener that annotates the current span with each flag's variant (and the serving version) and
 * records {@code feature_flag.evaluation} events where flags are decided; and
 * {@link dev.flagroute.opentelemetry.FlagBaggageBridge}, a bridge between {@code FlagContext} and
 * OpenTelemetry {@code Baggage}.
 */
package dev.flagroute.opentelemetry;
