package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.internal.AsciiNames;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.WireNames;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One relay read: trusted stamped variants collected by route position, the routes' variants and
 * what the relay carries without routing (a legal variant the routes do not list, a flag they do
 * not define), dropping values no variant can have. Carried flags are within the codec's limits.
 * It also hears the names of the headers the codec does not read, when the codec passes over all
 * of them, so that the relay need not look at every name again for the shadow marker and for
 * flags of another codec.
 */
final class RelayRead implements ExtractSink {
  private final FlagRoutes routes;
  private final Relayed[] relayedByRoute;
  private final Events events;
  private final String shadowHeader;
  private final FlagDecision[] decisions;
  /** Carried flags in one array before the first carried: a typical hop's fit without growing. */
  private static final int FIRST_CARRIED = 16;

  /**
   * Flags no route defines, key and variant alternating in the order read, null past the last and
   * until one is carried; as many as the codec's limits let through, so the scan for a duplicate
   * (which also finds the free slot, sparing a count) is bounded.
   */
  private String[] carried;
  private boolean namesSeen;
  private boolean marker;
  private boolean suspect;

  RelayRead(FlagRoutes routes, Relayed[] relayedByRoute, Events events, String shadowHeader) {
    this.routes = routes;
    this.relayedByRoute = relayedByRoute;
    this.events = events;
    this.shadowHeader = shadowHeader;
    this.decisions = new FlagDecision[routes.size()];
  }

  /** Always: a relay carries on the flags it does not route. */
  @Override
  public boolean hearsUnknownFlags() {
    return true;
  }

  @Override
  public void unrouted(String header, String key, String value) {
    if (!RouteNames.isFlagKey(key) || Positions.indexOf(routes, key) >= 0) {
      events.dropped(header, DropReason.INVALID_KEY);
    } else if (value.isEmpty()) {
      events.dropped(header, DropReason.EMPTY_VALUE);
    } else if (!RouteNames.isVariant(value)) {
      events.dropped(header, DropReason.INVALID_VALUE);
    } else {
      int slot = freeSlot(key);
      if (slot < 0) {
        events.dropped(header, DropReason.DUPLICATE);
      } else {
        carried[slot] = key;
        carried[slot + 1] = value;
      }
    }
  }

  @Override
  public boolean carry(String key, String value) {
    if (!RouteNames.isFlagKey(key) || !RouteNames.isVariant(value)) {
      return false;
    }
    int slot = freeSlot(null);
    carried[slot] = key;
    carried[slot + 1] = value;
    return true;
  }

  @Override
  public void retractCarried() {
    carried = null;
  }

  /**
   * Where the carried flag {@code key} goes, growing the array if full, or -1 if it is carried
   * already; {@code key} null for a flag known to be new.
   */
  private int freeSlot(String key) {
    if (carried == null) {
      carried = new String[2 * FIRST_CARRIED];
      return 0;
    }
    int hash = key == null ? 0 : key.hashCode();
    int slot = 0;
    for (; slot < carried.length && carried[slot] != null; slot += 2) {
      if (key != null && carried[slot].hashCode() == hash && carried[slot].equals(key)) {
        return -1;
      }
    }
    if (slot == carried.length) {
      carried = Arrays.copyOf(carried, 2 * carried.length);
    }
    return slot;
  }

  @Override
  public void flag(int routeIndex, String header, String value) {
    FlagDecision decision = relayedByRoute[routeIndex].find(value);
    if (decision != null) {
      decisions[routeIndex] = decision;
    } else if (value.isEmpty()) {
      events.dropped(header, DropReason.EMPTY_VALUE);
    } else if (RouteNames.isVariant(value)) {
      decisions[routeIndex] = new FlagDecision(value, Source.RELAYED, FlagDecision.UNKNOWN_VARIANT);
      events.unknownVariant(routeIndex, routes.asList().get(routeIndex).key(), value);
    } else {
      events.dropped(header, DropReason.INVALID_VALUE);
    }
  }

  @Override
  public boolean variant(int routeIndex, String value) {
    FlagDecision decision = relayedByRoute[routeIndex].find(value);
    if (decision != null) {
      decisions[routeIndex] = decision;
      return true;
    }
    return false;
  }

  @Override
  public boolean variant(int routeIndex, String source, int from, int to) {
    FlagDecision decision = relayedByRoute[routeIndex].find(source, from, to);
    if (decision != null) {
      decisions[routeIndex] = decision;
      return true;
    }
    return false;
  }

  @Override
  public void retract(int routeIndex) {
    decisions[routeIndex] = null;
  }

  /** Compares the region with the route's variants in place; only a value it drops is cut out. */
  @Override
  public void flag(int routeIndex, String header, String source, int from, int to) {
    FlagDecision decision = relayedByRoute[routeIndex].find(source, from, to);
    if (decision != null) {
      decisions[routeIndex] = decision;
    } else {
      flag(routeIndex, header, source.substring(from, to));
    }
  }

  @Override
  public void dropped(String header, DropReason reason) {
    events.dropped(header, reason);
  }

  @Override
  public boolean hearsOtherNames() {
    return true;
  }

  @Override
  public void otherName(String name) {
    marker |= AsciiNames.same(name, shadowHeader);
    suspect |= WireNames.mayNameFlags(name);
  }

  @Override
  public void namesSeen() {
    namesSeen = true;
  }

  /**
   * Whether the codec reported every header name it does not read, none of which may be a flag
   * header of another codec: then {@link #marked()} tells whether the shadow marker was sent.
   */
  boolean namesChecked() {
    return namesSeen && !suspect;
  }

  /** Whether a header named as the shadow marker was among the names reported. */
  boolean marked() {
    return marker;
  }

  /** Whether the flag at {@code index} is decided. */
  boolean isDecided(int index) {
    return decisions[index] != null;
  }

  /** Decides the flag at {@code index}, if undecided, as {@code decision} does. */
  void decideIfUndecided(int index, FlagDecision decision) {
    if (decisions[index] == null) {
      decisions[index] = decision;
    }
  }

  /** The context read, each undecided flag at its decision in {@code defaults}; ends this read. */
  FlagContext context(FlagDecision[] defaults) {
    for (int i = 0; i < decisions.length; i++) {
      if (decisions[i] == null) {
        decisions[i] = defaults[i];
      }
    }
    return Positions.context(routes, decisions, carried);
  }

  /** The relayed decision of each variant of one route, shared by every request and never modified. */
  static final class Relayed {
    /** Up to this many variants, a scan of them beats hashing the inbound value. */
    private static final int MAX_SCANNED = 8;

    private final FlagDecision[] decisions;
    /** The decisions' variants, in their order: a compare without a step through the decision. */
    private final String[] variants;
    private final Map<String, FlagDecision> byVariant;

    Relayed(FlagRoute route) {
      decisions = route.variants().keySet().stream()
          .map(v -> new FlagDecision(v, Source.RELAYED, FlagDecision.RELAYED)).toArray(FlagDecision[]::new);
      variants = route.variants().keySet().toArray(new String[0]);
      if (decisions.length > MAX_SCANNED) {
        byVariant = new HashMap<>();
        for (FlagDecision decision : decisions) {
          byVariant.put(decision.variant(), decision);
        }
      } else {
        byVariant = null;
      }
    }

    /** The decision relaying {@code variant}, or null if the route has no such variant. */
    FlagDecision find(String variant) {
      if (byVariant != null) {
        return byVariant.get(variant);
      }
      for (int i = 0; i < variants.length; i++) {
        if (variants[i].equals(variant)) {
          return decisions[i];
        }
      }
      return null;
    }

    /** The decision relaying the variant spelled by {@code source} from {@code from} to {@code to}, or null. */
    FlagDecision find(String source, int from, int to) {
      if (byVariant != null) {
        return byVariant.get(source.substring(from, to));
      }
      int length = to - from;
      for (int i = 0; i < variants.length; i++) {
        String variant = variants[i];
        if (variant.length() == length && variant.charAt(0) == source.charAt(from)
            && source.regionMatches(from, variant, 0, length)) {
          return decisions[i];
        }
      }
      return null;
    }
  }
}
