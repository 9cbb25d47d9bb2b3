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
 * The circuit-breaker state of one non-default variant of a guarded flag: its failure window and
 * its phase. Transitions are compare-and-set, so exactly one thread makes (and reports) each.
 */
final class VariantGuard {
  private final String flagKey;
  private final String variant;
  private final GuardPolicy policy;
  private final FailureWindow window;
  private final AtomicReference<Phase> phase;
  private final AtomicLong probes = new AtomicLong();
  private final long probeStride;

  VariantGuard(String flagKey, String variant, GuardPolicy policy, long startMillis) {
    this.flagKey = flagKey;
    this.variant = variant;
    this.policy = policy;
    this.window = new FailureWindow(policy.window().toMillis());
    this.phase = new AtomicReference<>(new Phase(GuardState.CLOSED, startMillis));
    this.probeStride = Math.max(1, Math.round(1 / policy.probeShare()));
  }

  /** Whether a request decided for this variant keeps it; moves OPEN to HALF_OPEN once the cool-down is over. */
  boolean admits(long nowMillis, Consumer<GuardTransition> transitions) {
    Phase current = phase.get();
    if (current.state == GuardState.CLOSED) {
      return true;
    }
    if (current.state == GuardState.OPEN) {
      if (nowMillis - current.sinceMillis < policy.coolDown().toMillis()) {
        return false;
      }
      if (move(current, GuardState.HALF_OPEN, nowMillis)) {
        probes.set(0);
        transitions.accept(transition(GuardState.OPEN, GuardState.HALF_OPEN, new FailureWindow.Counts(0, 0), 0));
      }
    }
    return probes.getAndIncrement() % probeStride == 0;
  }

  /** Counts one outcome of this variant and trips, closes or re-opens on what the window shows. */
  void record(long nowMillis, boolean failed, double defaultRatio, Consumer<GuardTransition> transitions) {
    Phase current = phase.get();
    if (current.state == GuardState.OPEN) {
      return; // requests decided before the trip: the variant is not served now
    }
    window.record(nowMillis, failed);
    FailureWindow.Counts counts = window.counts(nowMillis);
    boolean failing = counts.ratio() > policy.failureRatio() && counts.ratio() > defaultRatio + policy.margin();
    int needed = current.state == GuardState.CLOSED ? policy.minRequests() : policy.probeRequests();
    if (counts.requests() < needed || current.state == GuardState.CLOSED && !failing) {
      return;
    }
    GuardState next = failing ? GuardState.OPEN : GuardState.CLOSED;
    if (move(current, next, nowMillis)) {
      transitions.accept(transition(current.state, next, counts, defaultRatio));
    }
  }

  private boolean move(Phase current, GuardState next, long nowMillis) {
    if (!phase.compareAndSet(current, new Phase(next, nowMillis))) {
      return false;
    }
    window.clear();
    return true;
  }

  private GuardTransition transition(GuardState from, GuardState to, FailureWindow.Counts counts, double defaultRatio) {
    return new GuardTransition(flagKey, variant, from, to, counts.requests(), counts.ratio(), defaultRatio);
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
