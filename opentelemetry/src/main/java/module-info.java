/**
 * flagroute for OpenTelemetry: {@code FlagTraces} puts each request's flags on the current server
 * span (and, at the edge, a {@code feature_flag.evaluation} event per decided flag, following the
 * feature-flag semantic conventions), and {@code FlagBaggageBridge} carries a {@code FlagContext} in
 * OpenTelemetry {@code Baggage}, for hops instrumented only with OpenTelemetry. The API package is
 * {@code dev.flagroute.opentelemetry}.
 */
module dev.flagroute.opentelemetry {
  requires transitive dev.flagroute.core;
  requires transitive io.opentelemetry.api;
  requires transitive io.opentelemetry.context;

  exports dev.flagroute.opentelemetry;
}
