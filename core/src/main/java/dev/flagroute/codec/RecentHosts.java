package dev.flagroute.codec;

/**
 * The last decisions of one {@link MeshHosts}, so that the hosts an application calls again and
 * again are answered with one string comparison: a fixed table of {@value #SLOTS} entries, each
 * slot chosen from the host's length and a few of its characters (no pass over the whole name) and
 * replaced by the next host that lands on it. Bounded whatever the hosts (hosts longer than a DNS
 * name are not kept); thread-safe without locks, as each entry is immutable and a slot read while
 * another thread replaces it holds the old or the new entry, either of them true.
 */
final class RecentHosts {
  /** Slots in the table, a power of two. */
  static final int SLOTS = 64;
  /** The longest host kept: a DNS name's limit. */
  static final int MAX_LENGTH = 253;

  private final Entry[] entries = new Entry[SLOTS];

  /** Whether {@code host} (not empty) was allowed when last decided: TRUE, FALSE, or null if not kept. */
  Boolean decision(String host) {
    Entry entry = entries[slot(host)];
    return entry != null && entry.host.equals(host) ? entry.allowed : null;
  }

  /** Keeps the decision on {@code host} (not empty), unless it is longer than a DNS name. */
  void keep(String host, boolean allowed) {
    if (host.length() <= MAX_LENGTH) {
      entries[slot(host)] = new Entry(host, allowed ? Boolean.TRUE : Boolean.FALSE);
    }
  }

  /** The slot of {@code host}: its length and six characters (the first three, the middle and the last two). */
  private static int slot(String host) {
    int last = host.length() - 1;
    int hash = host.length();
    hash = hash * 31 + host.charAt(0);
    hash = hash * 31 + host.charAt(Math.min(1, last));
    hash = hash * 31 + host.charAt(Math.min(2, last));
    hash = hash * 31 + host.charAt(last >> 1);
    hash = hash * 31 + host.charAt(Math.max(0, last - 1));
    hash = hash * 31 + host.charAt(last);
    hash *= 0x9E3779B1;
    return hash >>> (Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS));
  }

  /** One decision. */
  private record Entry(String host, Boolean allowed) {}
}
