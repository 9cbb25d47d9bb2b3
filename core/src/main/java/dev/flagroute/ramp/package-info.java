/**
 * Guarded ramps: a variant's share of users, bucketed by targeting key, widens on a schedule
 * anchored to a start instant in the routes ({@link dev.flagroute.routes.Ramp}) while its verdict
 * is not WORSE, and falls to no user when it is. {@link dev.flagroute.ramp.RampStatus} and
 * {@link dev.flagroute.ramp.RampState} report it; an edge {@code FlagRouter} runs it, with the
 * verdicts of {@code dev.flagroute.verdict}.
 */
package dev.flagroute.ramp;
