package dev.flagroute.router;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Distinct users and distinct failing users over a sliding window: each user counts at most once
 * as a user and at most once as a failing user per window, however many requests it sends. Users
 * are held as 64-bit hashes keyed with a random seed of this process, so a long or hostile user
 * name costs no memory and no one can aim two names at one entry. Bounded: about
 * {@link #MAX_USERS} users are tracked per window (a few more while threads race to add the last
 * ones); a user arriving while that many are tracked and none has expired is not counted until
 * entries expire, so the guard decides on the first {@value #MAX_USERS} users of a window.
 *
 * <p>Approximate in two harmless ways: a user counted in a bucket that slides out of the window is
 * counted again on its next outcome, and a user whose first outcome races with its second may be
 * counted in either bucket.
 */
final class UserWindow {
  /** The most users tracked at once per window. */
  static final int MAX_USERS = 4096;

  private static final long SEED = ThreadLocalRandom.current().nextLong();

  private final FailureWindow counts;
  private final Map<Long, Seen> seen = new ConcurrentHashMap<>();
  private final AtomicLong prunedEpoch = new AtomicLong(Long.MIN_VALUE);

  UserWindow(long windowMillis) {
    this.counts = new FailureWindow(windowMillis);
  }

  /** The keyed hash a user is tracked by. */
  static long hash(String user) {
    long h = SEED;
    for (int i = 0; i < user.length(); i++) {
      h = (h ^ user.charAt(i)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
    }
    h ^= user.length();
    h *= 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 31);
  }

  /** Counts one outcome of {@code user} (its {@link #hash}, boxed by the caller once for all its windows). */
  void record(long nowMillis, Long user, boolean failed) {
    long epoch = counts.epoch(nowMillis);
    long oldest = epoch - FailureWindow.BUCKETS + 1;
    Seen entry = seen.get(user);
    if (entry == null) {
      if (seen.size() >= MAX_USERS && !prune(epoch, oldest)) {
        return;
      }
      entry = seen.computeIfAbsent(user, key -> new Seen());
    }
    boolean newUser;
    boolean newFailure;
    synchronized (entry) {
      newUser = entry.userEpoch < oldest;
      if (newUser) {
        entry.userEpoch = epoch;
      }
      newFailure = failed && entry.failureEpoch < oldest;
      if (newFailure) {
        entry.failureEpoch = epoch;
      }
    }
    if (newUser || newFailure) {
      counts.add(nowMillis, newUser, newFailure);
    }
  }

  /**
   * Drops the entries of users not counted in the window, at most once per bucket; whether there
   * is room for a new user now.
   */
  private boolean prune(long epoch, long oldest) {
    long last = prunedEpoch.get();
    if (last != epoch && prunedEpoch.compareAndSet(last, epoch)) {
      for (Iterator<Seen> entries = seen.values().iterator(); entries.hasNext(); ) {
        Seen entry = entries.next();
        synchronized (entry) {
          if (entry.userEpoch < oldest && entry.failureEpoch < oldest) {
            entries.remove();
          }
        }
      }
    }
    return seen.size() < MAX_USERS;
  }

  /** Users and failing users within the window ending at {@code nowMillis}. */
  FailureWindow.Counts counts(long nowMillis) {
    return counts.counts(nowMillis);
  }

  void clear() {
    seen.clear();
    counts.clear();
  }

  /** The buckets a user was last counted in, as a user and as a failing user. */
  private static final class Seen {
    long userEpoch = Long.MIN_VALUE;
    long failureEpoch = Long.MIN_VALUE;
  }
}
