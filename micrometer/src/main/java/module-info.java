/**
 * flagroute's routing metrics in Micrometer, usable without Spring: {@code MicrometerRoutingListener}
 * (decisions, dropped headers, overrides, misroutes, failed and stuck evaluations) and
 * {@code VariantHealthMetrics} (per-variant request timers with latency buckets, and the rollout
 * guard's, verdicts' and ramps' meters), named by {@code dev.flagroute.observe.Metric}. Spring
 * Boot's auto-configuration registers both when a {@code MeterRegistry} is present.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.micrometer {
  requires transitive dev.flagroute.core;
  requires transitive micrometer.core;

  exports dev.flagroute.micrometer;
}
