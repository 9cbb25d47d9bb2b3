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
     * Reads each route's header; headers with the prefix that name no route are reported as
     * {@link DropReason#UNKNOWN_FLAG} to a sink that {@linkplain ExtractSink#hearsUnknownFlags hears of them}. Known and unknown flag headers together count towards
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
        dropUnknown(carrier, getter, read, sink);
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

    private <C> void dropUnknown(C carrier, HeaderGetter<C> getter, int read, ExtractSink sink) {
      for (String name : getter.names(carrier)) {
        if (codec.owns(name) && !nameSet.contains(name.toLowerCase(Locale.ROOT))) {
          if (++read > limits.maxFlags()) {
            sink.dropped(prefix + "*", DropReason.TOO_MANY_FLAGS);
            return;
          }
          sink.dropped(name.length() > 128 ? name.substring(0, 128) : name, DropReason.UNKNOWN_FLAG);
        }
      }
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
    }

    @Override
    public List<String> headerNames(FlagRoutes routes) {
      return routes == this.routes ? nameList : codec.headerNames(routes);
    }
  }
}
