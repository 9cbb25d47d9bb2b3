/**
 * Actuator health of flag routing:
 * {@link dev.flagroute.spring.health.FlagRouteHealthIndicator}, the loaded routes and the
 * OpenFeature provider's readiness.
 */
package dev.flagroute.spring.health;
