package dev.flagroute.codec;

import dev.flagroute.internal.AsciiNames;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.WireNames;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The common part of codecs that write all flags into one header as a comma-separated list of
 * {@code key=value} members: reading with limits, writing, matching.
 *
 * <p><b>Reading is what the mesh matches</b> ({@link MemberPattern}): members are separated by
 * {@code ','} (a header sent several times is read joined with {@code ','}, as Envoy matches it);
 * a member's key is the text before its first {@code '='} without surrounding spaces and tabs,
 * compared case-sensitively with the prefix and the flag key as declared; its value is the text
 * after the {@code '='} up to the first {@code ';'}, without surrounding spaces and tabs, taken as
 * it is (never percent-decoded, which no mesh can do); the first member of a flag counts, and
 * later ones are reported as {@link DropReason#DUPLICATE} and ignored, as the mesh pattern ignores
 * them. Only within {@link HeaderLimits} (the mesh has none of them) can the two differ: a header
 * longer than the limit, or members past the flag limit, are dropped by the relay only.
 */
abstract sealed class MemberListCodec implements HeaderCodec, CodecBinder
    permits CombinedHeaderCodec, BaggageHeaderCodec {
  final String header;
  final String memberPrefix;

  MemberListCodec(String header, String memberPrefix) {
    this.header = header;
    this.memberPrefix = memberPrefix;
  }

  /** The members of {@code existing} that are not ours and must survive a write. */
  abstract String foreignMembers(String existing);

  @Override
  public final <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter) {
    String[] carried = Positions.carriedFlags(context);
    if (context.hasNothingToStamp()) {
      return;
    }
    StringBuilder members = new StringBuilder(foreignMembers(setter.get(carrier, header)));
    context.forEach((route, decision) -> append(members, route.key(), decision.variant()));
    for (int i = 0; i < carried.length && carried[i] != null; i += 2) {
      append(members, carried[i], carried[i + 1]);
    }
    setter.set(carrier, header, members.toString());
  }

  /** Keeps the members of other owners of the header, dropping the header when none are left. */
  @Override
  public final String withoutFlags(String headerName, String value) {
    if (!owns(headerName)) {
      return HeaderCodec.super.withoutFlags(headerName, value);
    }
    String foreign = value == null ? "" : foreignMembers(value);
    return foreign.isEmpty() ? null : DefaultFlagHeaders.without(headerName, foreign);
  }

  private void append(StringBuilder members, String key, String variant) {
    if (members.length() > 0) {
      members.append(',');
    }
    members.append(memberPrefix).append(key).append('=').append(variant);
  }

  @Override
  public final boolean owns(String headerName) {
    return AsciiNames.same(header, headerName);
  }

  @Override
  public final List<String> headerNames(FlagRoutes routes) {
    return List.of(header);
  }

  @Override
  public final HeaderMatch match(FlagRoute route, String variant) {
    if (!route.hasVariant(variant)) {
      throw new IllegalArgumentException("flag '" + route.key() + "' has no variant '" + variant + "'");
    }
    return new HeaderMatch(header, HeaderMatch.Type.REGEX, MemberPattern.of(memberPrefix + route.key(), variant));
  }

  @Override
  public final BoundCodec bind(FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
    return new Bound(this, routes, limits, overrideHeader);
  }

  static String lowerToken(String name, String what) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (!RouteNames.HEADER_NAME.matcher(lower).matches()) {
      throw new IllegalArgumentException(what + " '" + name + "' must be a non-empty HTTP token");
    }
    return lower;
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && header.equals(((MemberListCodec) o).header)
        && memberPrefix.equals(((MemberListCodec) o).memberPrefix);
  }

  @Override
  public int hashCode() {
    return 31 * header.hashCode() + memberPrefix.hashCode();
  }

  /**
   * The codec with its routes' member keys indexed once. A read cuts no strings out of the header
   * value: keys are found by region ({@link MemberKeys}) and values are handed to the sink as
   * regions, so reading a header of known flags allocates nothing but what the sink keeps. A
   * member's whole value is first offered to the sink as a variant; only a value it does not take
   * (one with properties, spaces or anything else) is cut at its first {@code ';'} and trimmed.
   */
  private static final class Bound extends BoundCodec {
    private final MemberListCodec codec;
    private final MemberKeys keys;

    Bound(MemberListCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
      super(codec, routes, limits, overrideHeader);
      this.codec = codec;
      this.keys = new MemberKeys(routes.asList().stream().map(FlagRoute::key).toList());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink) {
      String header = codec.header;
      String value = getter == MapCarriers.SINGLE_GETTER && sink.hearsOtherNames()
          ? valueHearingNames((Map<String, String>) carrier, sink) : getter.get(carrier, header);
      if (value == null || value.isBlank()) {
        return;
      }
      if (value.length() > limits.maxHeaderLength()) {
        sink.dropped(header, DropReason.HEADER_TOO_LONG);
        return;
      }
      Seen seen = new Seen(routes.size());
      String prefix = codec.memberPrefix;
      int read = 0;
      int eq = -1;
      for (int start = 0; start <= value.length(); ) {
        int end = value.indexOf(',', start);
        if (end < 0) {
          end = value.length();
        }
        if (eq < start) {
          eq = value.indexOf('=', start);
          eq = eq < 0 ? value.length() : eq;
        }
        boolean hasValue = eq < end;
        int keyFrom = Ows.skip(value, start, hasValue ? eq : end);
        int keyTo = Ows.back(value, keyFrom, hasValue ? eq : end);
        start = end + 1;
        if (keyFrom == keyTo && !hasValue || keyTo - keyFrom < prefix.length() || !value.startsWith(prefix, keyFrom)) {
          continue;
        }
        if (++read > limits.maxFlags()) {
          sink.dropped(header, DropReason.TOO_MANY_FLAGS);
          break;
        }
        int index = keys.indexOf(value, keyFrom + prefix.length(), keyTo);
        if (!hasValue) {
          sink.dropped(header, DropReason.MALFORMED);
        } else if (index < 0) {
          unrouted(value, keyFrom + prefix.length(), keyTo, eq + 1, end, sink);
        } else if (!seen.add(index)) {
          sink.dropped(header, DropReason.DUPLICATE);
        } else if (end - eq - 1 > limits.maxValueLength() || !sink.variant(index, value, eq + 1, end)) {
          read(value, eq + 1, end, index, sink);
        }
      }
    }

    /**
     * The header's value as {@link HeaderGetter#forMap()} gives it (keys spelling it in any case,
     * their values joined in the map's order), found in the same pass that reports every other
     * name to the sink, so that the sink need not look at them again. The header itself is
     * reported too when it may hold members of another codec (a baggage codec with another member
     * prefix than the default).
     */
    private String valueHearingNames(Map<String, String> carrier, ExtractSink sink) {
      String header = codec.header;
      boolean reportOwn = codec instanceof BaggageHeaderCodec && !codec.memberPrefix.equals(WireNames.MEMBER_PREFIX);
      String found = null;
      StringBuilder joined = null;
      for (Map.Entry<String, String> entry : carrier.entrySet()) {
        String name = entry.getKey();
        if (name == null) {
          continue;
        }
        if (!AsciiNames.same(name, header)) {
          sink.otherName(name);
          continue;
        }
        if (reportOwn) {
          sink.otherName(name);
        }
        String value = entry.getValue();
        if (value != null) {
          if (found == null) {
            found = value;
          } else {
            joined = (joined == null ? new StringBuilder(found) : joined).append(',').append(value);
          }
        }
      }
      sink.namesSeen();
      return joined == null ? found : joined.toString();
    }

    /**
     * Hands over a member whose key (from {@code keyFrom} to {@code keyTo}) names no route, with
     * its value (from {@code from} to {@code end}) cut and trimmed as a route's, to a sink that
     * hears of such flags; otherwise it is dropped as {@link DropReason#UNKNOWN_FLAG}.
     */
    private void unrouted(String value, int keyFrom, int keyTo, int from, int end, ExtractSink sink) {
      if (!sink.hearsUnknownFlags()) {
        sink.dropped(codec.header, DropReason.UNKNOWN_FLAG);
        return;
      }
      int to = from;
      while (to < end && value.charAt(to) != ';') {
        to++;
      }
      from = Ows.skip(value, from, to);
      to = Ows.back(value, from, to);
      if (to - from > limits.maxValueLength()) {
        sink.dropped(codec.header, DropReason.VALUE_TOO_LONG);
      } else if (keyTo - keyFrom > limits.maxValueLength()) {
        sink.dropped(codec.header, DropReason.INVALID_KEY);
      } else {
        sink.unrouted(codec.header, value.substring(keyFrom, keyTo), value.substring(from, to));
      }
    }

    /** Reports the value of the member ending at {@code end} whose value starts at {@code from}. */
    private void read(String value, int from, int end, int index, ExtractSink sink) {
      int to = from;
      while (to < end && value.charAt(to) != ';') {
        to++;
      }
      from = Ows.skip(value, from, to);
      to = Ows.back(value, from, to);
      if (to - from > limits.maxValueLength()) {
        sink.dropped(codec.header, DropReason.VALUE_TOO_LONG);
      } else {
        sink.flag(index, codec.header, value, from, to);
      }
    }

    @Override
    public <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter) {
      codec.inject(context, carrier, setter);
    }
  }

  /** The routes whose member was read: bits of a long up to 64 routes, an array beyond. */
  private static final class Seen {
    private final boolean[] many;
    private long bits;

    Seen(int routes) {
      many = routes > Long.SIZE ? new boolean[routes] : null;
    }

    /** Marks {@code index}; false if it was marked already. */
    boolean add(int index) {
      if (many != null) {
        boolean first = !many[index];
        many[index] = true;
        return first;
      }
      long bit = 1L << index;
      boolean first = (bits & bit) == 0;
      bits |= bit;
      return first;
    }
  }
}
