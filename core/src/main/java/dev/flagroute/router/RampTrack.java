package dev.flagroute.router;

import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.Ramp;
import java.time.DateTimeException;
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
  private final AtomicReference<Current> current;

  RampTrack(String flagKey, String variant, Ramp ramp, long nowMillis, Consumer<RampStatus> changes) {
    this.flagKey = flagKey;
    this.variant = variant;
    this.ramp = ramp;
    this.salt = Buckets.salt(flagKey, variant);
    this.changes = changes;
    this.current = new AtomicReference<>(currentOf(ramp.stepAt(nowMillis)));
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
   * a roll-back. Before the next step is due, one comparison.
   */
  int basisPoints(long nowMillis) {
    Current seen = current.get();
    if (nowMillis < seen.nextStepMillis) {
      return seen.basisPoints;
    }
    int now = ramp.stepAt(nowMillis);
    if (now <= seen.status.step()) {
      return seen.basisPoints;
    }
    Current next = currentOf(now);
    if (current.compareAndSet(seen, next)) {
      changes.accept(next.status);
    } else if (current.get().status.state() == RampState.ROLLED_BACK) {
      return 0;
    }
    return next.basisPoints;
  }

  /** Rolls the ramp back to no user, for good; reports it once. */
  void rollBack(Instant now) {
    Current seen;
    do {
      seen = current.get();
      if (seen.status.state() == RampState.ROLLED_BACK) {
        return;
      }
    } while (!current.compareAndSet(seen, new Current(new RampStatus(flagKey, variant, RampState.ROLLED_BACK,
        seen.status.step(), 0, now), 0, Long.MAX_VALUE)));
    changes.accept(current.get().status);
  }

  /** When the next step is due, as far as this track knows; {@code Long.MAX_VALUE} if none is. */
  long nextStepMillis() {
    return current.get().nextStepMillis;
  }

  /** The status at {@code nowMillis}. */
  RampStatus status(long nowMillis) {
    basisPoints(nowMillis);
    return current.get().status;
  }

  private Current currentOf(int now) {
    if (now < 0) {
      return new Current(new RampStatus(flagKey, variant, RampState.PENDING, -1, 0, ramp.start()), 0,
          startMillis(0));
    }
    boolean last = now == ramp.steps().size() - 1;
    RampStatus status = new RampStatus(flagKey, variant, last ? RampState.COMPLETE : RampState.RAMPING, now,
        ramp.basisPoints(now) / 100.0, ramp.stepStart(now));
    return new Current(status, ramp.basisPoints(now), last ? Long.MAX_VALUE : startMillis(now + 1));
  }

  /** When step {@code step} begins, in milliseconds; {@code Long.MAX_VALUE} when that is beyond them. */
  private long startMillis(int step) {
    try {
      return ramp.stepStart(step).toEpochMilli();
    } catch (ArithmeticException | DateTimeException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The status in force, its share in basis points and when the next step is due ({@code
   * Long.MAX_VALUE} after the last step or a roll-back), so that the request path compares once.
   */
  private record Current(RampStatus status, int basisPoints, long nextStepMillis) {}
}
