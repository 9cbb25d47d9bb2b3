/**
 * The router: {@link dev.flagroute.router.FlagRouter} turns an inbound request into its
 * {@code FlagContext}, deciding flags at the edge through OpenFeature (cached, with safe defaults)
 * or carrying stamped ones as a relay ({@link dev.flagroute.router.RoutingMode}).
 */
package dev.flagroute.router;
