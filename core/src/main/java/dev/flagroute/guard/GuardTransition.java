package dev.flagroute.guard;

/**
 * The rollout guard changed state for one variant of a flag.
 *
 * @param flagKey the guarded flag
 * @param variant the non-default variant whose state changed
 * @param from the state before
 * @param to the state now
 * @param requests the variant's requests in the window (or among the probes) that decided it
 * @param failureRatio their failure ratio, in [0, 1]
 * @param defaultFailureRatio the failure ratio of the flag's default variant over the window
 */
public record GuardTransition(String flagKey, String variant, GuardState from, GuardState to, long requests,
    double failureRatio, double defaultFailureRatio) {}
