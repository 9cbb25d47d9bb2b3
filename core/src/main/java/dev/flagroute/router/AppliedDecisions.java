package dev.flagroute.router;

import dev.flagroute.context.FlagContext;
import java.util.Objects;

/**
 * What {@link Rollouts#apply} made lately of a decided context for a user, so that a cache hit
 * (the same decided context again) is capped with one lookup rather than a bucket hash per ramped
 * flag and a new context. An answer holds for the generation it was made in: the rollouts start a
 * new one whenever anything it depends on changes (a ramp's step or roll-back, a verdict's state).
 * A fixed table, as many slots as the decision cache has entries (a power of two, at most
 * {@value #MAX_SLOTS}), by the decided context's identity, the last answer replacing the one
 * before it in its slot: bounded whatever the users, thread-safe without locks (entries are
 * immutable). Without a decision cache every context is new, and nothing is kept.
 */
final class AppliedDecisions {
  static final int MAX_SLOTS = 4_096;

  private final Entry[] entries;
  private final int shift;

  /** A table for a decision cache of {@code cacheSize} entries (0: none). */
  AppliedDecisions(long cacheSize) {
    int slots = cacheSize <= 0 ? 0 : Integer.highestOneBit((int) Math.min(cacheSize, MAX_SLOTS) * 2 - 1);
    this.entries = new Entry[slots];
    this.shift = Integer.SIZE - Integer.numberOfTrailingZeros(Math.max(slots, 1));
  }

  /** What {@code decided} was made for {@code targetingKey} in {@code generation}, or null if not known. */
  FlagContext get(FlagContext decided, String targetingKey, long generation) {
    if (entries.length == 0) {
      return null;
    }
    Entry entry = entries[slot(decided)];
    return entry != null && entry.decided == decided && entry.generation == generation
        && Objects.equals(entry.targetingKey, targetingKey) ? entry.applied : null;
  }

  /** Keeps {@code applied}, what {@code decided} was made for {@code targetingKey} in {@code generation}. */
  void put(FlagContext decided, String targetingKey, FlagContext applied, long generation) {
    if (entries.length > 0) {
      entries[slot(decided)] = new Entry(decided, targetingKey, applied, generation);
    }
  }

  private int slot(FlagContext decided) {
    return shift == Integer.SIZE ? 0 : System.identityHashCode(decided) * 0x9E3779B1 >>> shift;
  }

  /** One answer. */
  private record Entry(FlagContext decided, String targetingKey, FlagContext applied, long generation) {}
}
