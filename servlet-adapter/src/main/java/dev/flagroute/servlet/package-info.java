/**
 * flagroute for jakarta.servlet 6: {@link dev.flagroute.servlet.FlagRoutingFilter} routes each
 * request, edge or relay, for its whole life; {@link dev.flagroute.servlet.TargetingKeySource}
 * reads a request's targeting key.
 */
package dev.flagroute.servlet;
