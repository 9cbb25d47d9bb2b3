/**
 * Routing metrics in Micrometer, with or without Spring:
 * {@link dev.flagroute.micrometer.MicrometerRoutingListener} counts decisions, dropped headers,
 * overrides, misroutes and failed evaluations, and
 * {@link dev.flagroute.micrometer.VariantHealthMetrics} times each request per flag, variant and
 * version and records the rollout guard's state and transitions, verdicts and ramps; the names are
 * those of {@link dev.flagroute.observe.Metric}.
 */
package dev.flagroute.micrometer;
