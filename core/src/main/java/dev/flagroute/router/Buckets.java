package dev.flagroute.router;

import java.util.Locale;

/**
 * The bucket of a user in a variant's ramp, 0 to 9,999: a user is within a share of {@code b}
 * basis points when its bucket is below {@code b}, so widening a share only ever adds users.
 * Stable across processes, replicas and releases (a change would move users between variants):
 * the 64-bit FNV-1a step applied per UTF-16 code unit to the lowercase flag key, a line feed, the
 * variant, a line feed and the targeting key, finished with the MurmurHash3 64-bit mixer, taken
 * unsigned modulo 10,000. Salting with the flag and variant makes the ramps of different flags, and of
 * different variants of one flag, pick independent users.
 */
final class Buckets {
  static final int SIZE = 10_000;
  private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Buckets() {}

  /** The hash state after the salt of {@code flagKey}'s {@code variant}, to continue with a targeting key. */
  static long salt(String flagKey, String variant) {
    long hash = mix(OFFSET_BASIS, flagKey.toLowerCase(Locale.ROOT));
    hash = mix(hash, '\n');
    hash = mix(hash, variant);
    return mix(hash, '\n');
  }

  /** The bucket of {@code targetingKey} for the salt from {@link #salt}. */
  static int bucket(long salt, String targetingKey) {
    long hash = mix(salt, targetingKey);
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return (int) Long.remainderUnsigned(hash, SIZE);
  }

  private static long mix(long hash, String text) {
    long h = hash;
    for (int i = 0; i < text.length(); i++) {
      h = mix(h, text.charAt(i));
    }
    return h;
  }

  private static long mix(long hash, char c) {
    return (hash ^ c) * PRIME;
  }
}
