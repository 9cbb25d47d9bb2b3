package dev.flagroute.router;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The latency above which a request counts as slow: a quantile of the default variant's first
 * latencies, set once when enough have been offered and fixed from then on, so that both sides of
 * the comparison are counted against the same line. Thread-safe; the samples are dropped once the
 * threshold is set.
 */
final class SlowThreshold {
  private final int size;
  private final double quantile;
  private final AtomicInteger offered = new AtomicInteger();
  private final AtomicInteger filled = new AtomicInteger();
  private volatile AtomicLongArray samples;
  private volatile long nanos = -1;

  SlowThreshold(int size, double quantile) {
    this.size = size;
    this.quantile = quantile;
    this.samples = new AtomicLongArray(size);
  }

  /** The threshold in nanoseconds, or -1 until it is set. */
  long nanos() {
    return nanos;
  }

  /** Offers one latency of the default variant; the one completing the sample sets the threshold. */
  void offer(long latencyNanos) {
    AtomicLongArray taken = samples;
    int slot = offered.getAndIncrement();
    if (taken == null || slot >= size) {
      return;
    }
    taken.set(slot, Math.max(0, latencyNanos));
    if (filled.incrementAndGet() == size) {
      long[] sorted = new long[size];
      for (int i = 0; i < size; i++) {
        sorted[i] = taken.get(i);
      }
      Arrays.sort(sorted);
      nanos = sorted[Math.min(size - 1, (int) Math.ceil(quantile * size) - 1)];
      samples = null;
    }
  }
}
