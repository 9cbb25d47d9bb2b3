/**
 * Verdicts: each non-default variant of a flag compared with the default variant on error ratio
 * and latency by a sequential test that stays valid however often it is looked at
 * ({@link dev.flagroute.verdict.VerdictPolicy}); {@link dev.flagroute.verdict.Verdict} and
 * {@link dev.flagroute.verdict.Comparison} give the result and its numbers,
 * {@link dev.flagroute.verdict.VerdictState} the state, and
 * {@link dev.flagroute.verdict.VerdictMonitor} is the engine an edge router feeds.
 */
package dev.flagroute.verdict;
