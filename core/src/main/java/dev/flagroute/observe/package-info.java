/**
 * What the router does, for metrics and logs: {@link dev.flagroute.observe.RoutingListener} hears
 * decisions, dropped headers, overrides, misroutes ({@link dev.flagroute.observe.Misroute}) and
 * failed evaluations; {@link dev.flagroute.observe.RoutingCounters} counts them.
 */
package dev.flagroute.observe;
