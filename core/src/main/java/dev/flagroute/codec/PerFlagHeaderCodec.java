package dev.flagroute.codec;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.internal.AsciiNames;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@code <prefix><key>: <variant>}, one header per flag. */
final class PerFlagHeaderCodec implements HeaderCodec, CodecBinder {
  static final PerFlagHeaderCodec DEFAULT = new PerFlagHeaderCodec(WireNames.PER_FLAG_PREFIX);

  static {
    BoundCodec.lendAccess();
  }

  private final String prefix;
  private final String upperPrefix;

  PerFlagHeaderCodec(String prefix) {
    String lower = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
    if (!RouteNames.HEADER_NAME.matcher(lower).matches()) {
      throw new IllegalArgumentException("header prefix '" + prefix + "' must be a non-empty HTTP token such as 'x-flag-'");
    }
    this.prefix = lower;
    this.upperPrefix = lower.toUpperCase(Locale.ROOT);
  }

  @Override
  public <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter) {
    context.forEach((route, decision) -> setter.set(carrier, headerName(route), decision.variant()));
    injectCarried(context, carrier, setter);
  }

  /** Writes the flags {@code context} carries without routing them, one header each. */
  <C> void injectCarried(FlagContext context, C carrier, HeaderSetter<C> setter) {
    String[] carried = Positions.carriedFlags(context);
    for (int i = 0; i < carried.length && carried[i] != null; i += 2) {
      setter.set(carrier, prefix + carried[i].toLowerCase(Locale.ROOT), carried[i + 1]);
    }
  }

  /**
   * Whether {@code headerName} starts with the prefix, ignoring ASCII case, and goes on after it.
   * Called for every inbound header name: a lowercase match (HTTP/2 names, most clients) is one
   * {@link String#startsWith}, a name whose first char cannot begin the prefix is refused at once,
   * and only the rest are compared ignoring case.
   */
  @Override
  public boolean owns(String headerName) {
    int length = prefix.length();
    if (headerName.length() <= length) {
      return false;
    }
    char first = headerName.charAt(0);
    if (first == prefix.charAt(0)) {
      return headerName.startsWith(prefix) || AsciiNames.regionSame(headerName, 0, prefix, length);
    }
    return first == upperPrefix.charAt(0) && AsciiNames.regionSame(headerName, 0, prefix, length);
  }

  @Override
  public List<String> headerNames(FlagRoutes routes) {
    return routes.asList().stream().map(this::headerName).toList();
  }

  @Override
  public HeaderMatch match(FlagRoute route, String variant) {
    if (!RouteNames.isVariant(variant)) {
      throw new IllegalArgumentException("not a variant: " + variant);
    }
    return new HeaderMatch(headerName(route), HeaderMatch.Type.EXACT, variant);
  }

  @Override
  public BoundCodec bind(FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
    return new Bound(this, routes, limits, overrideHeader);
  }

  private String headerName(FlagRoute route) {
    return prefix + route.key().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PerFlagHeaderCodec other && prefix.equals(other.prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }

  @Override
  public String toString() {
    return "HeaderCodec.perFlag(" + prefix + ")";
  }

  /** The codec with its routes' header names computed once. */
  private static final class Bound extends BoundCodec {
    private static final int MAX_CARRIED_NAMES = 256;

    private final String prefix;
    private final String[] names;
    private final List<String> nameList;
    /** Each route's header name to the route's index. */
    private final Map<String, Integer> nameIndexes = new HashMap<>();
    /**
     * The headers of flags no route defines, lowercase, to their keys, and back: flags relayed on
     * unrouted are read and stamped by the same few names request after request, so their keys
     * and names are cut once. At most {@link #MAX_CARRIED_NAMES} of each, of legal keys only.
     */
    private final Map<String, String> carriedKeys = new ConcurrentHashMap<>();
    private final Map<String, String> carriedNames = new ConcurrentHashMap<>();

    Bound(PerFlagHeaderCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
      super(codec, routes, limits, overrideHeader);
      this.prefix = codec.prefix;
      this.nameList = codec.headerNames(routes);
      this.names = nameList.toArray(new String[0]);
      for (int i = 0; i < names.length; i++) {
        nameIndexes.put(names[i], i);
      }
    }

    /**
     * Reads each route's header; headers with the prefix that name no route are read the same way
     * and handed to a sink that {@linkplain ExtractSink#hearsUnknownFlags hears of them} as
     * {@linkplain ExtractSink#unrouted unrouted flags}. Known and unknown flag headers together count towards
     * {@link HeaderLimits#maxFlags()}; past it, one {@link DropReason#TOO_MANY_FLAGS} ends the read.
     * A value with a {@code ','} is a header sent twice (getters join repeated headers with one, as
     * Envoy does before it matches: no exact match holds then). Spaces and tabs around a value are
     * ignored, as HTTP parsers drop them before any mesh sees the value; nothing else is trimmed.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink) {
      if (getter == MapCarriers.SINGLE_GETTER && names.length <= Long.SIZE
          && extractLowercase((Map<String, String>) carrier, sink)) {
        return;
      }
      int read = 0;
      for (int i = 0; i < names.length; i++) {
        String value = getter.get(carrier, names[i]);
        if (value == null) {
          continue;
        }
        if (++read > limits.maxFlags()) {
          sink.dropped(names[i], DropReason.TOO_MANY_FLAGS);
          return;
        }
        if (value.length() > limits.maxHeaderLength()) {
          sink.dropped(names[i], DropReason.HEADER_TOO_LONG);
        } else if (value.length() > limits.maxValueLength()) {
          sink.dropped(names[i], DropReason.VALUE_TOO_LONG);
        } else if (!sink.variant(i, value)) {
          if (value.indexOf(',') >= 0) {
            sink.dropped(names[i], DropReason.DUPLICATE);
          } else {
            sink.flag(i, names[i], Ows.trim(value));
          }
        }
      }
      if (sink.hearsUnknownFlags() && ownedNames(carrier, getter) > read) {
        readUnrouted(carrier, getter, read, sink);
      }
    }

    /**
     * How many header names this codec owns. Every header read above is among them (getters list
     * what they read), so when no more are owned than were read, none names an unknown flag and the
     * second, costlier pass is skipped: the common case costs one cheap scan of the names.
     */
    private <C> int ownedNames(C carrier, HeaderGetter<C> getter) {
      int owned = 0;
      for (String name : getter.names(carrier)) {
        if (codec.owns(name)) {
          owned++;
        }
      }
      return owned;
    }

    /**
     * Reads the headers with the prefix that name no route, each with the checks of a route's
     * header, within the flag limit. A name listed twice in different cases is read (joined by the
     * getter) at its first listing and reported as {@link DropReason#DUPLICATE} at the next. Names
     * are compared with their ASCII letters folded, as HTTP does; a name whose value the getter
     * does not give is reported as {@link DropReason#MALFORMED}.
     */
    private <C> void readUnrouted(C carrier, HeaderGetter<C> getter, int read, ExtractSink sink) {
      Set<String> seen = null;
      for (String name : getter.names(carrier)) {
        if (!codec.owns(name)) {
          continue;
        }
        String lower = AsciiNames.lowercase(name);
        if (nameIndexes.containsKey(lower)) {
          continue;
        }
        String shown = lower.length() > 128 ? lower.substring(0, 128) : lower;
        if (seen == null) {
          seen = new HashSet<>();
        }
        if (++read > limits.maxFlags()) {
          sink.dropped(prefix + "*", DropReason.TOO_MANY_FLAGS);
          return;
        }
        if (!seen.add(lower)) {
          sink.dropped(shown, DropReason.DUPLICATE);
          continue;
        }
        unrouted(shown, lower, getter.get(carrier, lower), sink);
      }
    }

    /**
     * The read above in one pass over a map's entries, for the common request whose flag header
     * names are all lowercase, whose routed values are all exactly variants and whose flags no route
     * defines all pass the sink's checks, within the flag limit: then every name is a key of its own
     * (no two keys spell it in different cases), each value is its entry's, and nothing is dropped,
     * so the result is the same as the read above, without a lookup per flag or a second pass.
     * Returns false, having taken back what it gave the sink, when the request is not of that kind,
     * for the read above to do it all.
     */
    private boolean extractLowercase(Map<String, String> carrier, ExtractSink sink) {
      long taken = 0;
      int read = 0;
      int unrouted = 0;
      boolean regular = true;
      boolean hearsNames = sink.hearsOtherNames();
      boolean hearsUnknown = sink.hearsUnknownFlags();
      for (Map.Entry<String, String> entry : carrier.entrySet()) {
        String name = entry.getKey();
        // a route's own header name is found by its hash, which the carrier's key has cached
        Integer index = name == null ? null : nameIndexes.get(name);
        if (index == null && (name == null || !codec.owns(name))) {
          if (hearsNames && name != null) {
            sink.otherName(name);
          }
          continue;
        }
        String value = entry.getValue();
        if (value == null || (index == null && !isLowercase(name))) {
          regular = false;
          break;
        }
        if (index == null) {
          if (hearsUnknown) {
            // a lowercase name, no route's header and no other entry's key: its flag names no
            // route and was not carried before, as carry needs
            unrouted++;
            if (value.length() > limits.maxValueLength() || value.length() > limits.maxHeaderLength()
                || !sink.carry(carriedKey(name), value)) {
              regular = false;
              break;
            }
          }
          continue;
        }
        read++;
        if (value.length() > limits.maxValueLength() || value.length() > limits.maxHeaderLength()
            || !sink.variant(index, value)) {
          regular = false;
          break;
        }
        taken |= 1L << index;
      }
      if (!regular || read + unrouted > limits.maxFlags()) {
        for (int i = 0; taken != 0; i++, taken >>>= 1) {
          if ((taken & 1) != 0) {
            sink.retract(i);
          }
        }
        if (unrouted > 0) {
          sink.retractCarried();
        }
        return false;
      }
      if (hearsNames) {
        sink.namesSeen();
      }
      return true;
    }

    /** Reads the header {@code lower} (the name in lowercase, {@code shown} as reported) of a flag no route defines. */
    private void unrouted(String shown, String lower, String value, ExtractSink sink) {
      if (value == null) {
        sink.dropped(shown, DropReason.MALFORMED);
      } else if (value.length() > limits.maxHeaderLength()) {
        sink.dropped(shown, DropReason.HEADER_TOO_LONG);
      } else if (value.length() > limits.maxValueLength()) {
        sink.dropped(shown, DropReason.VALUE_TOO_LONG);
      } else if (value.indexOf(',') >= 0) {
        sink.dropped(shown, DropReason.DUPLICATE);
      } else {
        sink.unrouted(shown, carriedKey(lower), Ows.trim(value));
      }
    }

    /** The key of flag header {@code lower} (lowercase), which no route defines. */
    private String carriedKey(String lower) {
      String key = carriedKeys.get(lower);
      if (key == null) {
        key = lower.substring(prefix.length());
        if (carriedKeys.size() < MAX_CARRIED_NAMES && RouteNames.isFlagKey(key)) {
          carriedKeys.putIfAbsent(lower, key);
        }
      }
      return key;
    }

    /** The header of carried flag {@code key}. */
    private String carriedName(String key) {
      String name = carriedNames.get(key);
      if (name == null) {
        name = prefix + key.toLowerCase(Locale.ROOT);
        if (carriedNames.size() < MAX_CARRIED_NAMES && RouteNames.isFlagKey(key)) {
          carriedNames.putIfAbsent(key, name);
        }
      }
      return name;
    }

    private static boolean isLowercase(String name) {
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c >= 'A' && c <= 'Z') {
          return false;
        }
      }
      return true;
    }

    @Override
    public <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter) {
      if (context.routes() != routes) {
        codec.inject(context, carrier, setter);
        return;
      }
      for (int i = 0; i < names.length; i++) {
        FlagDecision decision = Positions.decision(context, i);
        if (decision != null) {
          setter.set(carrier, names[i], decision.variant());
        }
      }
      String[] carried = Positions.carriedFlags(context);
      for (int i = 0; i < carried.length && carried[i] != null; i += 2) {
        setter.set(carrier, carriedName(carried[i]), carried[i + 1]);
      }
    }

    @Override
    public List<String> headerNames(FlagRoutes routes) {
      return routes == this.routes ? nameList : codec.headerNames(routes);
    }
  }
}
