package dev.flagroute.ramp;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one ramped variant stands: heard by a {@code RoutingListener} on every change, and read
 * through {@code FlagRouter.ramps()}. Immutable.
 *
 * @param flagKey the flag
 * @param variant the ramped variant
 * @param state its state
 * @param step the step in force, from 0; -1 before the start
 * @param percent the share of users the variant may reach now, 0 to 100 (0 when pending or rolled back)
 * @param since when this step (or the roll-back) began
 */
public record RampStatus(String flagKey, String variant, RampState state, int step, double percent, Instant since) {
  /** Checks that no component is null. */
  public RampStatus {
    Objects.requireNonNull(flagKey, "flagKey");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
  }
}
