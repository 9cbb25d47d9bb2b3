/** Routing metrics in Micrometer: {@link dev.flagroute.spring.metrics.MicrometerRoutingListener}. */
package dev.flagroute.spring.metrics;
