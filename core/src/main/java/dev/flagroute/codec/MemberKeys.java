package dev.flagroute.codec;

import java.util.List;

/**
 * The member keys of a member-list codec's routes ({@code <prefix><flag key>}), found by a region
 * of a header value without cutting it out: an open-addressed table keyed on the region's hash,
 * each candidate confirmed char by char. Immutable; built once per bound codec.
 */
final class MemberKeys {
  private final String[] keys;
  private final int[] routeIndexes;
  private final int mask;

  MemberKeys(String prefix, List<String> flagKeys) {
    int capacity = Integer.highestOneBit(Math.max(4, flagKeys.size() * 4 - 1)) << 1;
    keys = new String[capacity];
    routeIndexes = new int[capacity];
    mask = capacity - 1;
    for (int i = 0; i < flagKeys.size(); i++) {
      String key = prefix + flagKeys.get(i);
      int slot = key.hashCode() & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      routeIndexes[slot] = i;
    }
  }

  /** The route index of the key spelled by {@code s} from {@code from} to {@code to}, or -1. */
  int indexOf(String s, int from, int to) {
    int hash = 0;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + s.charAt(i);
    }
    int length = to - from;
    for (int slot = hash & mask; keys[slot] != null; slot = (slot + 1) & mask) {
      String key = keys[slot];
      if (key.length() == length && s.regionMatches(from, key, 0, length)) {
        return routeIndexes[slot];
      }
    }
    return -1;
  }
}
