package dev.flagroute.codec;

import java.util.List;

/**
 * The flag keys of a member-list codec's routes, found by a region of a header value without
 * cutting it out: an open-addressed table keyed on the region's length and its first and last
 * chars (a hash that costs the same for any key), each candidate confirmed char by char.
 * Immutable; built once per bound codec.
 */
final class MemberKeys {
  private final String[] keys;
  private final int[] routeIndexes;
  private final int mask;

  MemberKeys(List<String> flagKeys) {
    int capacity = Integer.highestOneBit(Math.max(4, flagKeys.size() * 4 - 1)) << 1;
    keys = new String[capacity];
    routeIndexes = new int[capacity];
    mask = capacity - 1;
    for (int i = 0; i < flagKeys.size(); i++) {
      String key = flagKeys.get(i);
      int slot = hash(key, 0, key.length()) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      routeIndexes[slot] = i;
    }
  }

  private static int hash(String s, int from, int to) {
    if (from == to) {
      return 0;
    }
    int h = (to - from) * 0x9E3779B1 ^ s.charAt(from) * 31 ^ s.charAt(to - 1);
    return h ^ h >>> 16;
  }

  /** The route index of the flag key spelled by {@code s} from {@code from} to {@code to}, or -1. */
  int indexOf(String s, int from, int to) {
    int length = to - from;
    for (int slot = hash(s, from, to) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
      String key = keys[slot];
      if (key.length() == length && s.regionMatches(from, key, 0, length)) {
        return routeIndexes[slot];
      }
    }
    return -1;
  }
}
