package dev.flagroute.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The hosts inside the mesh, the only ones outbound calls carry flags to: routing headers, the
 * shadow marker and override tokens never go to any other host (the egress guard). Immutable in
 * what it allows, and thread-safe; {@link #allows} keeps its last decisions on a small bounded table
 * (64 hosts), so that a host called again costs one string comparison, and allocates nothing for
 * host names but one small entry for a host not among them.
 *
 * <p>A pattern is one of:
 * <ul>
 *   <li>{@code *.suffix}: any name under {@code suffix}, such as {@code checkout.shop.svc} for
 *       {@code *.svc};
 *   <li>{@code *}: any single-label name that starts with a letter, such as {@code checkout}, which
 *       a pod's DNS search path resolves inside the cluster;
 *   <li>a name, matched exactly: {@code localhost};
 *   <li>an IPv4 or IPv6 address or CIDR block: {@code 127.0.0.0/8}, {@code ::1}, {@code fd00::/8}.
 * </ul>
 * Names are matched ignoring ASCII case and one trailing dot (which {@code *} and addresses do not
 * accept: an absolute single-label name skips the cluster's search path). A host that is not plain ASCII
 * letters, digits, {@code '-'}, {@code '_'} and dots (internationalized names are matched in their
 * punycode form, as clients send them), has an empty label, or looks like an address without being
 * a plain dotted-quad IPv4 or an IPv6 literal (such as {@code 2130706433} or {@code 0x7f.1}) is
 * never allowed: the guard fails closed.
 *
 * <pre>{@code
 * FlagRouter.builder(routes).meshHosts(MeshHosts.of("*", "*.svc.cluster.local", "*.internal.example.com"))
 * }</pre>
 */
public final class MeshHosts {
  /** The Kubernetes defaults: single-label names, {@code *.svc}, {@code *.svc.cluster.local} and loopback. */
  public static final List<String> KUBERNETES_PATTERNS =
      List.of("*", "*.svc", "*.svc.cluster.local", "localhost", "127.0.0.0/8", "::1");

  private static final MeshHosts KUBERNETES = of(KUBERNETES_PATTERNS);

  private final List<String> patterns;
  private final RecentHosts recentHosts = new RecentHosts();
  private final boolean singleLabel;
  /** Exact names, lowercase. */
  private final String[] names;
  /** Suffixes with their leading dot, lowercase. */
  private final String[] suffixes;
  /** IPv4 networks and masks. */
  private final int[] v4Networks;
  private final int[] v4Masks;
  /** IPv6 networks and masks, two longs (high, low) each. */
  private final long[] v6Networks;
  private final long[] v6Masks;

  private MeshHosts(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    boolean single = false;
    List<String> exact = new ArrayList<>();
    List<String> under = new ArrayList<>();
    List<int[]> v4 = new ArrayList<>();
    List<long[]> v6 = new ArrayList<>();
    for (String raw : this.patterns) {
      String pattern = raw.strip().toLowerCase(Locale.ROOT);
      if (pattern.equals("*")) {
        single = true;
      } else if (pattern.startsWith("*.")) {
        under.add(name(raw, pattern.substring(1), 1));
      } else if (pattern.indexOf('/') >= 0 || pattern.indexOf(':') >= 0 || isDottedQuad(pattern)) {
        network(raw, pattern, v4, v6);
      } else {
        exact.add(name(raw, pattern, 0));
      }
    }
    this.singleLabel = single;
    this.names = exact.toArray(String[]::new);
    this.suffixes = under.toArray(String[]::new);
    this.v4Networks = v4.stream().mapToInt(n -> n[0]).toArray();
    this.v4Masks = v4.stream().mapToInt(n -> n[1]).toArray();
    this.v6Networks = v6.stream().flatMapToLong(n -> Arrays.stream(n, 0, 2)).toArray();
    this.v6Masks = v6.stream().flatMapToLong(n -> Arrays.stream(n, 2, 4)).toArray();
  }

  /** The defaults, {@link #KUBERNETES_PATTERNS}. */
  public static MeshHosts kubernetes() {
    return KUBERNETES;
  }

  /**
   * The hosts {@code patterns} match.
   *
   * @throws IllegalArgumentException naming a pattern that is none of the forms above
   */
  public static MeshHosts of(String... patterns) {
    return of(Arrays.asList(patterns));
  }

  /**
   * The hosts {@code patterns} match; none at all means no host, so nothing is ever stamped.
   *
   * @throws IllegalArgumentException naming a pattern that is none of the forms above
   */
  public static MeshHosts of(Collection<String> patterns) {
    for (String pattern : patterns) {
      if (pattern == null) {
        throw new IllegalArgumentException("a mesh host pattern is null");
      }
    }
    return new MeshHosts(List.copyOf(patterns));
  }

  /** The patterns, as given. */
  public List<String> patterns() {
    return patterns;
  }

  /**
   * Whether {@code host}, as in a URL ({@code checkout.shop.svc}, {@code 10.0.0.7},
   * {@code [::1]} or {@code ::1}), is in the mesh. {@code null} and anything malformed is not.
   */
  public boolean allows(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    Boolean recent = recentHosts.decision(host);
    if (recent != null) {
      return recent;
    }
    boolean allowed = allows(host, 0, host.length());
    recentHosts.keep(host, allowed);
    return allowed;
  }

  /** {@link #allows} without the recent decisions: the full check, every time. */
  boolean check(String host) {
    return host != null && allows(host, 0, host.length());
  }

  /**
   * Whether the host of {@code authority} ({@code host}, {@code host:port}, {@code [v6]:port}),
   * such as a gRPC channel's, is in the mesh. An authority with user information ({@code '@'}) never
   * is: what it names depends on who parses it.
   */
  public boolean allowsAuthority(String authority) {
    if (authority == null || authority.indexOf('@') >= 0) {
      return false;
    }
    int end = authority.length();
    int colon = authority.lastIndexOf(':');
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0 || close != end - 1 && close != colon - 1) {
        return false;
      }
      return (close == end - 1 || isPort(authority, colon + 1, end)) && allows(authority, 0, close + 1);
    }
    if (colon >= 0 && authority.indexOf(':') == colon) {
      return isPort(authority, colon + 1, end) && allows(authority, 0, colon);
    }
    return allows(authority, 0, end);
  }

  private boolean allows(String host, int from, int to) {
    if (from >= to) {
      return false;
    }
    if (host.charAt(from) == '[') {
      return host.charAt(to - 1) == ']' && allowsV6(host, from + 1, to - 1);
    }
    int end = host.charAt(to - 1) == '.' ? to - 1 : to;
    boolean absolute = end < to;
    int lastLabel = from;
    int dots = 0;
    char previous = '.';
    for (int i = from; i < end; i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (previous == '.') {
          return false;
        }
        dots++;
        lastLabel = i + 1;
      } else if (!isNameChar(c)) {
        // an IPv6 literal is hex digits (name characters) up to its first ':'; nothing else with one is
        return c == ':' && allowsV6(host, from, to);
      }
      previous = c;
    }
    to = end;
    if (previous == '.') {
      return false;
    }
    if (isDigit(host.charAt(lastLabel))) { // an address, or a name a resolver may take for one
      long address = absolute ? -1 : v4(host, from, to);
      return address >= 0 && allowsV4((int) address);
    }
    if (dots == 0 && singleLabel && !absolute && isLetter(host.charAt(from))) {
      return true;
    }
    int length = to - from;
    for (String name : names) {
      if (name.length() == length && matches(host, from, name)) {
        return true;
      }
    }
    for (String suffix : suffixes) {
      int suffixLength = suffix.length();
      if (length > suffixLength && matches(host, to - suffixLength, suffix)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code host} from {@code from} starts with {@code lower}, ignoring ASCII case (both are ASCII). */
  private static boolean matches(String host, int from, String lower) {
    for (int i = lower.length() - 1; i >= 0; i--) {
      char c = host.charAt(from + i);
      if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean allowsV4(int address) {
    for (int i = 0; i < v4Networks.length; i++) {
      if ((address & v4Masks[i]) == v4Networks[i]) {
        return true;
      }
    }
    return false;
  }

  private boolean allowsV6(String host, int from, int to) {
    if (v6Networks.length == 0) {
      return false;
    }
    long[] address = new long[2];
    if (!parseV6(host, from, to, address)) {
      return false;
    }
    for (int i = 0; i < v6Networks.length; i += 2) {
      if ((address[0] & v6Masks[i]) == v6Networks[i] && (address[1] & v6Masks[i + 1]) == v6Networks[i + 1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MeshHosts hosts && hosts.patterns.equals(patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  /** The patterns, comma-separated, as the setting takes them. */
  @Override
  public String toString() {
    return String.join(", ", patterns);
  }

  // ---- parsing patterns

  /** {@code name} (lowercase, from {@code start}) checked as a DNS name that is not an address. */
  private static String name(String raw, String name, int start) {
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    int lastDot = name.lastIndexOf('.');
    boolean valid = name.length() > start && name.charAt(start) != '.' && !name.contains("..") && !name.endsWith(".")
        && name.substring(start).chars().allMatch(c -> c == '.' || isNameChar((char) c))
        && !isDigit(name.charAt(lastDot + 1));
    if (!valid) {
      throw invalid(raw);
    }
    return name;
  }

  private static void network(String raw, String pattern, List<int[]> v4, List<long[]> v6) {
    int slash = pattern.indexOf('/');
    String address = slash < 0 ? pattern : pattern.substring(0, slash);
    boolean isV6 = address.indexOf(':') >= 0;
    int bits = isV6 ? 128 : 32;
    int prefix = bits;
    if (slash >= 0) {
      String length = pattern.substring(slash + 1);
      if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> isDigit((char) c))) {
        throw invalid(raw);
      }
      prefix = Integer.parseInt(length);
    }
    if (prefix > bits) {
      throw invalid(raw);
    }
    if (isV6) {
      long[] parsed = new long[2];
      if (!parseV6(address, 0, address.length(), parsed)) {
        throw invalid(raw);
      }
      long highMask = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
      long lowMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
      v6.add(new long[] {parsed[0] & highMask, parsed[1] & lowMask, highMask, lowMask});
    } else {
      if (!isDottedQuad(address, 0, address.length())) {
        throw invalid(raw);
      }
      int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
      v4.add(new int[] {dottedQuad(address, 0, address.length()) & mask, mask});
    }
  }

  private static IllegalArgumentException invalid(String pattern) {
    return new IllegalArgumentException("'" + pattern + "' is not a mesh host pattern: use *.suffix (any name"
        + " under suffix), * (any single-label name), an exact name, or an IPv4/IPv6 address or CIDR block");
  }

  // ---- addresses, parsed without allocating

  private static boolean isDottedQuad(String text) {
    return isDottedQuad(text, 0, text.length());
  }

  /** Whether {@code text[from, to)} is four decimal octets 0-255 without leading zeros. */
  private static boolean isDottedQuad(String text, int from, int to) {
    return v4(text, from, to) >= 0;
  }

  /** The address of a dotted quad; meaningful only where {@link #isDottedQuad} holds. */
  private static int dottedQuad(String text, int from, int to) {
    return (int) v4(text, from, to);
  }

  /**
   * The address {@code text[from, to)} writes as four decimal octets 0-255 without leading zeros,
   * as an unsigned int, or {@code -1} if it is anything else.
   */
  private static long v4(String text, int from, int to) {
    long address = 0;
    int octets = 0;
    int i = from;
    while (i < to) {
      int start = i;
      int octet = 0;
      while (i < to && i - start < 3 && isDigit(text.charAt(i))) {
        octet = octet * 10 + text.charAt(i++) - '0';
      }
      if (i == start || octet > 255 || i - start > 1 && text.charAt(start) == '0' || ++octets > 4) {
        return -1;
      }
      address = address << 8 | octet;
      if (i < to && (text.charAt(i++) != '.' || i == to)) {
        return -1;
      }
    }
    return octets == 4 ? address : -1;
  }

  /**
   * Parses the IPv6 literal {@code text[from, to)} (hex groups, at most one {@code ::}; no zone, no
   * embedded IPv4) into {@code out[0]} (high half) and {@code out[1]} (low half).
   */
  private static boolean parseV6(String text, int from, int to, long[] out) {
    long high = 0;
    long low = 0;
    int groups = 0;
    int gapAt = -1;
    int i = from;
    if (to - from >= 2 && text.charAt(from) == ':' && text.charAt(from + 1) == ':') {
      gapAt = 0;
      i += 2;
    } else if (i < to && text.charAt(i) == ':') {
      return false;
    }
    while (i < to) {
      int start = i;
      int group = 0;
      while (i < to && i - start < 4 && hex(text.charAt(i)) >= 0) {
        group = group << 4 | hex(text.charAt(i++));
      }
      if (i == start || groups == 8) {
        return false;
      }
      high = high << 16 | low >>> 48;
      low = low << 16 | group;
      groups++;
      if (i == to) {
        break;
      }
      if (text.charAt(i) != ':') {
        return false;
      }
      i++;
      if (i < to && text.charAt(i) == ':') {
        if (gapAt >= 0) {
          return false;
        }
        gapAt = groups;
        i++;
      } else if (i == to) {
        return false;
      }
    }
    if (gapAt < 0 ? groups != 8 : groups > 7) {
      return false;
    }
    if (gapAt >= 0) {
      // move the groups after the gap to the end: shift the head (groups before it) left by the gap
      int tail = groups - gapAt;
      long tailHigh = tail > 4 ? high & ((1L << (16 * (tail - 4))) - 1) : 0;
      long tailLow = tail >= 4 ? low : low & ((1L << (16 * tail)) - 1);
      long headHigh = high;
      long headLow = low;
      for (int t = 0; t < tail; t++) { // drop the tail from the head
        headLow = headLow >>> 16 | headHigh << 48;
        headHigh >>>= 16;
      }
      for (int g = gapAt; g < 8; g++) { // head groups to the top
        headHigh = headHigh << 16 | headLow >>> 48;
        headLow <<= 16;
      }
      high = headHigh | tailHigh;
      low = headLow | tailLow;
    }
    out[0] = high;
    out[1] = low;
    return true;
  }

  /** The value of ASCII hex digit {@code c}, or -1. */
  private static int hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  private static boolean isNameChar(char c) {
    return isLetter(c) || isDigit(c) || c == '-' || c == '_';
  }

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isPort(String text, int from, int to) {
    if (from >= to || to - from > 5) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
