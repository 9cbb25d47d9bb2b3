/**
 * The rollout guard: an edge router built with {@code FlagRouter.Builder.guard} ties each
 * request's outcome to its variants and stops deciding a non-default variant that fails much more
 * than the default, like a circuit breaker per variant ({@link dev.flagroute.guard.GuardPolicy},
 * {@link dev.flagroute.guard.GuardState}); {@link dev.flagroute.guard.GuardTransition} and
 * {@link dev.flagroute.guard.GuardStatus} report it; the router runs it, and operators act on it
 * through {@code FlagRouter.guardOperator()}. Per instance, and a safety net next to the flag
 * provider, not a replacement for it.
 */
package dev.flagroute.guard;
