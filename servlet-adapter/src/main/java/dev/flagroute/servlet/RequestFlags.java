package dev.flagroute.servlet;

import dev.flagroute.context.FlagContext;
import dev.openfeature.sdk.EvaluationContext;

/**
 * What the filter decided for one request, kept as a request attribute so that every later
 * dispatch of the request (async, error, forward, include) reuses it instead of deciding again.
 *
 * @param flags the decided variants
 * @param evaluationContext the context they were decided for, also the OpenFeature transaction context
 * @param mdcValue the MDC entry, {@code checkout=v2,search=on}
 */
record RequestFlags(FlagContext flags, EvaluationContext evaluationContext, String mdcValue) {
  static final String ATTRIBUTE = RequestFlags.class.getName();
}
