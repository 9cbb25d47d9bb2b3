/**
 * In-app OpenFeature reads that agree with routing: {@link dev.flagroute.evaluation.RoutingFlagsProvider}
 * answers a routing flag with the request's decided variant; {@link dev.flagroute.evaluation.EvaluationFailure}
 * says why an evaluation fell back to a flag's default.
 */
package dev.flagroute.evaluation;
