package dev.flagroute.codec;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
    if (!context.carried().isEmpty()) {
      context.carried().forEach((key, variant) -> setter.set(carrier, prefix + key.toLowerCase(Locale.ROOT), variant));
    }
  }

  /**
   * Whether {@code headerName} starts with the prefix, ignoring case, and goes on after it. Called
   * for every inbound header name when drops are heard: a lowercase match (HTTP/2 names, most
   * clients) is one {@link String#startsWith}, a name whose first char cannot begin the prefix is
   * refused at once, and only the rest are compared ignoring case.
   */
  @Override
  public boolean owns(String headerName) {
    int length = prefix.length();
    if (headerName.length() <= length) {
      return false;
    }
    if (headerName.startsWith(prefix)) {
      return true;
    }
    char first = headerName.charAt(0);
    return (first == upperPrefix.charAt(0) || first == prefix.charAt(0) || first >= 128)
        && headerName.regionMatches(true, 0, prefix, 0, length);
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
    private final String prefix;
    private final String[] names;
    private final List<String> nameList;
    private final Set<String> nameSet;

    Bound(PerFlagHeaderCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
      super(codec, routes, limits, overrideHeader);
      this.prefix = codec.prefix;
      this.nameList = codec.headerNames(routes);
      this.names = nameList.toArray(new String[0]);
      this.nameSet = new HashSet<>(nameList);
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
    public <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink) {
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
        String lower = asciiLowercase(name);
        if (nameSet.contains(lower)) {
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
        String value = getter.get(carrier, lower);
        if (value == null) {
          sink.dropped(shown, DropReason.MALFORMED);
        } else if (value.length() > limits.maxHeaderLength()) {
          sink.dropped(shown, DropReason.HEADER_TOO_LONG);
        } else if (value.length() > limits.maxValueLength()) {
          sink.dropped(shown, DropReason.VALUE_TOO_LONG);
        } else if (value.indexOf(',') >= 0) {
          sink.dropped(shown, DropReason.DUPLICATE);
        } else {
          sink.unrouted(shown, lower.substring(prefix.length()), Ows.trim(value));
        }
      }
    }

    /** {@code name} with its ASCII letters lowercase, as HTTP folds names; other chars stay. */
    private static String asciiLowercase(String name) {
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c >= 'A' && c <= 'Z') {
          char[] chars = name.toCharArray();
          for (int j = i; j < chars.length; j++) {
            if (chars[j] >= 'A' && chars[j] <= 'Z') {
              chars[j] += 'a' - 'A';
            }
          }
          return new String(chars);
        }
      }
      return name;
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
      ((PerFlagHeaderCodec) codec).injectCarried(context, carrier, setter);
    }

    @Override
    public List<String> headerNames(FlagRoutes routes) {
      return routes == this.routes ? nameList : codec.headerNames(routes);
    }
  }
}
