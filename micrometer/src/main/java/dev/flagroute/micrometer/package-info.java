/**
 * Routing metrics in Micrometer, with or without Spring:
 * {@link dev.flagroute.micrometer.MicrometerRoutingListener} counts decisions, dropped headers,
 * overrides, misroutes and failed evaluations,
 * {@link dev.flagroute.micrometer.VariantHealthMetrics} times each request per flag, variant and
 * version and records the rollout guard's state and transitions and the changes of verdicts and
 * ramps, and {@link dev.flagroute.micrometer.RolloutMetrics} shows each verdict and ramp as it
 * stands.
 */
package dev.flagroute.micrometer;
