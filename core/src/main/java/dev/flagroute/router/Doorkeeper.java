package dev.flagroute.router;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Approximately remembers which cache keys missed recently, so that a full cache admits a key
 * only on its second miss: the doorkeeper of TinyLFU. A stream of keys seen once (crawlers, random
 * ids, a user base far larger than the cache) then costs no insert, and evicts nobody who returns.
 *
 * <p>A Bloom filter of two probes over a bit array of about eight bits per cache entry, cleared
 * after as many keys as the cache holds have been recorded: a key is remembered across about that
 * many other new keys, and about one key in twenty that was never seen passes as seen. Memory is
 * fixed at construction, at most 1 MiB. Safe for concurrent use: racing updates may lose a bit,
 * which only delays an admission.
 */
final class Doorkeeper {
  private static final int MIN_BITS = 1 << 10;
  private static final int MAX_BITS = 1 << 23;
  private static final long SPREAD = 0x9E37_79B9_7F4A_7C15L;

  private final AtomicLongArray words;
  private final int bitMask;
  private final int resetAfter;
  private final AtomicInteger recorded = new AtomicInteger();

  /** A doorkeeper for a cache of {@code capacity} entries. */
  Doorkeeper(long capacity) {
    long wanted = Math.max(Math.min(capacity, MAX_BITS / 8) * 8, MIN_BITS);
    int bits = Integer.highestOneBit((int) wanted - 1) << 1;
    this.words = new AtomicLongArray(bits / Long.SIZE);
    this.bitMask = bits - 1;
    this.resetAfter = bits / 8;
  }

  /** Whether a key of {@code hash} was recorded since the last reset; if not, records it. */
  boolean seenBefore(int hash) {
    long spread = hash * SPREAD;
    int first = (int) spread & bitMask;
    int second = (int) (spread >>> 32) & bitMask;
    if (isSet(first) && isSet(second)) {
      return true;
    }
    set(first);
    set(second);
    if (recorded.incrementAndGet() == resetAfter) {
      reset();
    }
    return false;
  }

  /** The most keys recorded before all are forgotten. */
  int window() {
    return resetAfter;
  }

  private boolean isSet(int bit) {
    return (words.getOpaque(bit >>> 6) & (1L << bit)) != 0;
  }

  private void set(int bit) {
    int index = bit >>> 6;
    long word = words.getOpaque(index);
    long mask = 1L << bit;
    if ((word & mask) == 0) {
      words.setOpaque(index, word | mask);
    }
  }

  private void reset() {
    for (int i = 0; i < words.length(); i++) {
      words.setOpaque(i, 0);
    }
    recorded.set(0);
  }
}
