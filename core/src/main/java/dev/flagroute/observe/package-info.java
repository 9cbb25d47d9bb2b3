/**
 * What the router does, for metrics and logs: {@link dev.flagroute.observe.RoutingListener} hears
 * decisions, dropped headers, overrides, misroutes ({@link dev.flagroute.observe.Misroute}),
 * failed evaluations, how each request ended ({@link dev.flagroute.observe.RequestOutcome}),
 * rollout guard transitions, verdict changes and ramp steps; {@link dev.flagroute.observe.RoutingCounters} counts them.
 */
package dev.flagroute.observe;
