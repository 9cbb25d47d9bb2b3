/**
 * Verdicts: each non-default variant of a flag compared with the default variant on error ratio
 * and latency by a sequential test that stays valid however often it is looked at
 * ({@link dev.flagroute.verdict.VerdictPolicy}); {@link dev.flagroute.verdict.Verdict} and
 * {@link dev.flagroute.verdict.Comparison} give the result and its numbers, and
 * {@link dev.flagroute.verdict.VerdictState} the state. An edge {@code FlagRouter} makes them
 * ({@code FlagRouter.Builder.verdicts}).
 */
package dev.flagroute.verdict;
