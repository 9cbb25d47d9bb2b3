package dev.flagroute.router;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests and failures (or users and failing users, as {@link UserWindow} counts them) over a
 * sliding window, in a fixed number of buckets: bounded memory, no lock. A bucket older than the window is replaced when its slot is next written, and skipped when
 * read. Counts are approximate by at most the requests recorded while a slot is being replaced.
 */
final class FailureWindow {
  static final int BUCKETS = 10;

  private final long bucketMillis;
  private final AtomicReferenceArray<Bucket> buckets = new AtomicReferenceArray<>(BUCKETS);

  /** The epoch (bucket number) of {@code nowMillis}. */
  long epoch(long nowMillis) {
    return nowMillis / bucketMillis;
  }

  FailureWindow(long windowMillis) {
    this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
  }

  void record(long nowMillis, boolean failed) {
    add(nowMillis, true, failed);
  }

  /** Counts one more request and/or one more failure in the bucket of {@code nowMillis}. */
  void add(long nowMillis, boolean request, boolean failed) {
    long epoch = nowMillis / bucketMillis;
    int slot = (int) Math.floorMod(epoch, (long) BUCKETS);
    Bucket bucket = buckets.get(slot);
    while (bucket == null || bucket.epoch != epoch) {
      if (bucket != null && bucket.epoch > epoch) {
        return; // a clock that went backwards: the newer bucket stays
      }
      Bucket fresh = new Bucket(epoch);
      if (buckets.compareAndSet(slot, bucket, fresh)) {
        bucket = fresh;
      } else {
        bucket = buckets.get(slot);
      }
    }
    if (request) {
      bucket.requests.increment();
    }
    if (failed) {
      bucket.failures.increment();
    }
  }

  /** Requests and failures within the window ending at {@code nowMillis}. */
  Counts counts(long nowMillis) {
    long epoch = nowMillis / bucketMillis;
    long requests = 0;
    long failures = 0;
    for (int i = 0; i < BUCKETS; i++) {
      Bucket bucket = buckets.get(i);
      if (bucket != null && bucket.epoch > epoch - BUCKETS && bucket.epoch <= epoch) {
        requests += bucket.requests.sum();
        failures += bucket.failures.sum();
      }
    }
    return new Counts(requests, failures);
  }

  void clear() {
    for (int i = 0; i < BUCKETS; i++) {
      buckets.set(i, null);
    }
  }

  /** Requests and failures counted. */
  record Counts(long requests, long failures) {
    double ratio() {
      return requests == 0 ? 0 : (double) failures / requests;
    }
  }

  private static final class Bucket {
    final long epoch;
    final LongAdder requests = new LongAdder();
    final LongAdder failures = new LongAdder();

    Bucket(long epoch) {
      this.epoch = epoch;
    }
  }
}
