package dev.flagroute.router;

import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.Ramp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One ramped variant at run time: the share its ramp allows now, and whether a user is within it.
 * The step follows the clock; a roll-back is final. Each change is reported once (compare-and-set
 * on the status), and the request path reads the status and nothing more unless the step changed.
 */
final class RampTrack {
  private final String flagKey;
  private final String variant;
  private final Ramp ramp;
  private final long salt;
  private final Consumer<RampStatus> changes;
  private final AtomicReference<RampStatus> status;

  RampTrack(String flagKey, String variant, Ramp ramp, long nowMillis, Consumer<RampStatus> changes) {
    this.flagKey = flagKey;
    this.variant = variant;
    this.ramp = ramp;
    this.salt = Buckets.salt(flagKey, variant);
    this.changes = changes;
    this.status = new AtomicReference<>(statusOf(ramp.stepAt(nowMillis)));
  }

  /** Whether the user of {@code targetingKey} may get the variant at {@code nowMillis}; never without a key. */
  boolean admits(String targetingKey, long nowMillis) {
    int basisPoints = basisPoints(nowMillis);
    if (basisPoints >= Buckets.SIZE) {
      return true;
    }
    if (basisPoints == 0 || targetingKey == null || targetingKey.isEmpty()) {
      return false;
    }
    return Buckets.bucket(salt, targetingKey) < basisPoints;
  }

  /**
   * The share allowed at {@code nowMillis} in basis points, reporting a new step. Steps only move
   * forward: a clock that steps back keeps the step reached, so no user loses the variant but on
   * a roll-back.
   */
  int basisPoints(long nowMillis) {
    RampStatus seen = status.get();
    if (seen.state() == RampState.ROLLED_BACK) {
      return 0;
    }
    int now = ramp.stepAt(nowMillis);
    if (now <= seen.step()) {
      return seen.step() < 0 ? 0 : ramp.basisPoints(seen.step());
    }
    RampStatus next = statusOf(now);
    if (status.compareAndSet(seen, next)) {
      changes.accept(next);
    } else if (status.get().state() == RampState.ROLLED_BACK) {
      return 0;
    }
    return ramp.basisPoints(now);
  }

  /** Rolls the ramp back to no user, for good; reports it once. */
  void rollBack(Instant now) {
    RampStatus current;
    do {
      current = status.get();
      if (current.state() == RampState.ROLLED_BACK) {
        return;
      }
    } while (!status.compareAndSet(current, new RampStatus(flagKey, variant, RampState.ROLLED_BACK, current.step(),
        0, now)));
    changes.accept(status.get());
  }

  /** The status at {@code nowMillis}. */
  RampStatus status(long nowMillis) {
    basisPoints(nowMillis);
    return status.get();
  }

  private RampStatus statusOf(int now) {
    if (now < 0) {
      return new RampStatus(flagKey, variant, RampState.PENDING, -1, 0, ramp.start());
    }
    RampState state = now == ramp.steps().size() - 1 ? RampState.COMPLETE : RampState.RAMPING;
    return new RampStatus(flagKey, variant, state, now, ramp.basisPoints(now) / 100.0, ramp.stepStart(now));
  }
}
