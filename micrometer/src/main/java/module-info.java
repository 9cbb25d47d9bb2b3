/**
 * flagroute's routing metrics in Micrometer, usable without Spring: {@code MicrometerRoutingListener}
 * (decisions, dropped headers, overrides, misroutes, failed and stuck evaluations),
 * {@code VariantHealthMetrics} (per-variant request timers, the rollout guard's meters, verdict and
 * ramp changes) and {@code RolloutMetrics} (a router's verdicts and ramps as gauges). Spring Boot's
 * auto-configuration registers all three when a {@code MeterRegistry} is present.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.micrometer {
  requires transitive dev.flagroute.core;
  requires transitive micrometer.core;

  exports dev.flagroute.micrometer;
}
