package dev.flagroute.router;

import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.guard.GuardState;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.guard.GuardTransition;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The circuit-breaker state of one non-default variant of a guarded flag: its user window and its
 * phase. Transitions are compare-and-set, so exactly one thread makes (and reports) each.
 */
final class VariantGuard {
  private final String flagKey;
  private final String variant;
  private final GuardPolicy policy;
  private final UserWindow window;
  private final AtomicReference<Phase> phase;
  private final AtomicLong anonymousProbes = new AtomicLong();
  private final AtomicLong probeRound = new AtomicLong();
  private final long probeStride;

  VariantGuard(String flagKey, String variant, GuardPolicy policy, long startMillis) {
    this.flagKey = flagKey;
    this.variant = variant;
    this.policy = policy;
    this.window = new UserWindow(policy.window().toMillis());
    this.phase = new AtomicReference<>(new Phase(GuardState.CLOSED, startMillis));
    this.probeStride = Math.max(1, Math.round(1 / policy.probeShare()));
  }

  /**
   * Whether a request of {@code targetingKey} (null or empty: none) decided for this variant keeps
   * it; moves OPEN to HALF_OPEN once the cool-down is over. While probing, a user with a targeting
   * key is a probe for the whole round or not at all, by a keyed hash of its key and the round; a
   * request without one is a probe by turn.
   */
  boolean admits(long nowMillis, String targetingKey, Consumer<GuardTransition> transitions) {
    Phase current = phase.get();
    if (current.state == GuardState.CLOSED) {
      return true;
    }
    if (current.state == GuardState.FORCED_OFF) {
      return false;
    }
    if (current.state == GuardState.OPEN) {
      if (nowMillis - current.sinceMillis < policy.coolDown().toMillis()) {
        return false;
      }
      if (move(current, GuardState.HALF_OPEN, nowMillis)) {
        anonymousProbes.set(0);
        probeRound.incrementAndGet();
        transitions.accept(transition(GuardState.OPEN, GuardState.HALF_OPEN, new FailureWindow.Counts(0, 0), 0,
            GuardTransition.Cause.EVIDENCE));
      }
    }
    if (targetingKey == null || targetingKey.isEmpty()) {
      return anonymousProbes.getAndIncrement() % probeStride == 0;
    }
    long hash = UserWindow.hash(targetingKey) ^ probeRound.get() * 0x9E3779B97F4A7C15L;
    return Math.floorMod(hash * 0xBF58476D1CE4E5B9L >>> 1, probeStride) == 0;
  }

  /**
   * Counts one outcome of {@code user} with this variant and trips, closes or re-opens on what the
   * window shows against {@code defaults}, the default variant's window (read only when this
   * variant's failure ratio is above the policy's, or for a transition's report).
   */
  void record(long nowMillis, Long user, boolean failed, UserWindow defaults, Consumer<GuardTransition> transitions) {
    Phase current = phase.get();
    if (current.state == GuardState.OPEN || current.state == GuardState.FORCED_OFF) {
      return; // requests decided before the trip or the switch: the variant is not served now
    }
    window.record(nowMillis, user, failed);
    FailureWindow.Counts counts = window.counts(nowMillis);
    double defaultRatio = counts.ratio() > policy.failureRatio() ? defaults.counts(nowMillis).ratio() : Double.NaN;
    boolean tooHigh = counts.ratio() > policy.failureRatio() && counts.ratio() > defaultRatio + policy.margin();
    boolean failing = tooHigh && counts.failures() >= policy.minFailingUsers();
    GuardState next;
    if (current.state == GuardState.CLOSED) {
      next = failing && counts.requests() >= policy.minRequests() ? GuardState.OPEN : null;
    } else {
      next = failing ? GuardState.OPEN
          : !tooHigh && counts.requests() >= policy.probeRequests() ? GuardState.CLOSED : null;
    }
    if (next != null && move(current, next, nowMillis)) {
      transitions.accept(transition(current.state, next, counts,
          Double.isNaN(defaultRatio) ? defaults.counts(nowMillis).ratio() : defaultRatio, GuardTransition.Cause.EVIDENCE));
    }
  }

  /**
   * An operator's action: forces the variant off, back on, or resets it (a fresh window, CLOSED
   * unless forced off). Always reported, even when the state stays.
   */
  GuardStatus operate(OperatorAction action, long nowMillis, Consumer<GuardTransition> transitions) {
    while (true) {
      Phase current = phase.get();
      GuardState next = switch (action) {
        case FORCE_OFF -> GuardState.FORCED_OFF;
        case FORCE_ON -> current.state == GuardState.FORCED_OFF ? GuardState.CLOSED : current.state;
        case RESET -> current.state == GuardState.FORCED_OFF ? GuardState.FORCED_OFF : GuardState.CLOSED;
      };
      boolean moved = next == current.state ? phase.compareAndSet(current, new Phase(next, current.sinceMillis))
          : move(current, next, nowMillis);
      if (moved) {
        if (action == OperatorAction.RESET) {
          window.clear();
        }
        transitions.accept(transition(current.state, next, new FailureWindow.Counts(0, 0), 0,
            GuardTransition.Cause.OPERATOR));
        return status(nowMillis);
      }
    }
  }

  private boolean move(Phase current, GuardState next, long nowMillis) {
    if (!phase.compareAndSet(current, new Phase(next, nowMillis))) {
      return false;
    }
    window.clear();
    return true;
  }

  private GuardTransition transition(GuardState from, GuardState to, FailureWindow.Counts counts, double defaultRatio,
      GuardTransition.Cause cause) {
    return new GuardTransition(flagKey, variant, from, to, counts.requests(), counts.ratio(), defaultRatio, cause);
  }

  GuardStatus status(long nowMillis) {
    Phase current = phase.get();
    FailureWindow.Counts counts = window.counts(nowMillis);
    return new GuardStatus(flagKey, variant, current.state, Instant.ofEpochMilli(current.sinceMillis),
        counts.requests(), counts.failures());
  }

  /** A state and since when it holds. */
  private record Phase(GuardState state, long sinceMillis) {}
}
