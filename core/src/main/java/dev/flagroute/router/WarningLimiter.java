package dev.flagroute.router;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/** Allows at most one warning per slot (a routing flag) per minute, so logs stay readable under failure. */
final class WarningLimiter {
  private static final long INTERVAL_MILLIS = 60_000;

  private final Clock clock;
  private final AtomicLongArray nextAllowed;

  WarningLimiter(Clock clock, int slots) {
    this.clock = clock;
    this.nextAllowed = new AtomicLongArray(slots);
    for (int i = 0; i < slots; i++) {
      nextAllowed.set(i, Long.MIN_VALUE);
    }
  }

  /** Whether a warning for {@code slot} may be logged now; if so, the next is a minute away. */
  boolean tryAcquire(int slot) {
    long now = clock.millis();
    long next = nextAllowed.get(slot);
    return now >= next && nextAllowed.compareAndSet(slot, next, now + INTERVAL_MILLIS);
  }
}
