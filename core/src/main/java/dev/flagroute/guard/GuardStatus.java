package dev.flagroute.guard;

import java.time.Instant;

/**
 * What the rollout guard knows of one non-default variant of a guarded flag, for an actuator or a
 * health check.
 *
 * @param flagKey the guarded flag
 * @param variant the non-default variant
 * @param state its state
 * @param since when it entered that state (the router's start for a guard that never changed)
 * @param users the distinct users with an outcome counted in the current window (while probing:
 *     the probing users so far)
 * @param failingUsers how many of them had a server-side failure
 */
public record GuardStatus(String flagKey, String variant, GuardState state, Instant since, long users,
    long failingUsers) {}
