package dev.flagroute.codec;

import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.BoundCodec;
import dev.flagroute.internal.CodecBinder;
import dev.flagroute.internal.ExtractSink;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The common part of codecs that write all flags into one header as a comma-separated list of
 * {@code key=value} members: reading with limits and duplicate detection, writing, matching.
 */
abstract class MemberListCodec implements HeaderCodec, CodecBinder {
  private static final String OWS = "[ \\t]*";

  final String header;
  final String memberPrefix;

  MemberListCodec(String header, String memberPrefix) {
    this.header = header;
    this.memberPrefix = memberPrefix;
  }

  /** Decodes a member value as read, or returns {@code null} if it is malformed. */
  abstract String decodeValue(String raw);

  /** The members of {@code existing} that are not ours and must survive a write. */
  abstract String foreignMembers(String existing);

  @Override
  public final <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter) {
    if (context.isEmpty()) {
      return;
    }
    StringBuilder members = new StringBuilder(foreignMembers(setter.get(carrier, header)));
    context.forEach((route, decision) -> {
      if (members.length() > 0) {
        members.append(',');
      }
      members.append(memberPrefix).append(route.key()).append('=').append(decision.variant());
    });
    setter.set(carrier, header, members.toString());
  }

  @Override
  public final boolean owns(String headerName) {
    return header.equalsIgnoreCase(headerName);
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
    String pattern = "(.*,)?" + OWS + quote(memberPrefix + route.key()) + OWS + "=" + OWS + quote(variant) + OWS
        + "(;[^,]*)?(,.*)?";
    return new HeaderMatch(header, HeaderMatch.Type.REGEX, pattern);
  }

  @Override
  public final BoundCodec bind(FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
    return new Bound(this, routes, limits, overrideHeader);
  }

  /** Escapes the only regex metacharacter flag keys and variants can hold: {@code '.'}. */
  private static String quote(String literal) {
    return literal.replace(".", "\\.");
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

  /** The codec with its routes' member keys indexed once. */
  private static final class Bound extends BoundCodec {
    private final MemberListCodec codec;
    private final Map<String, Integer> indexByLowerKey = new HashMap<>();

    Bound(MemberListCodec codec, FlagRoutes routes, HeaderLimits limits, String overrideHeader) {
      super(codec, routes, limits, overrideHeader);
      this.codec = codec;
      List<FlagRoute> list = routes.asList();
      for (int i = 0; i < list.size(); i++) {
        indexByLowerKey.put(list.get(i).key().toLowerCase(Locale.ROOT), i);
      }
    }

    private int indexOf(String key) {
      Integer index = indexByLowerKey.get(key);
      if (index == null) {
        index = indexByLowerKey.get(key.toLowerCase(Locale.ROOT));
      }
      return index == null ? -1 : index;
    }

    @Override
    public <C> void extract(C carrier, HeaderGetter<C> getter, ExtractSink sink) {
      String header = codec.header;
      String value = getter.get(carrier, header);
      if (value == null || value.isBlank()) {
        return;
      }
      if (value.length() > limits.maxHeaderLength()) {
        sink.dropped(header, DropReason.HEADER_TOO_LONG);
        return;
      }
      String[] values = new String[routes.size()];
      boolean[] seen = new boolean[routes.size()];
      boolean[] duplicate = new boolean[routes.size()];
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
        String key = value.substring(start, hasValue ? eq : end).strip();
        String raw = hasValue ? value.substring(eq + 1, end) : "";
        start = end + 1;
        if (key.isEmpty() && !hasValue
            || !key.regionMatches(true, 0, codec.memberPrefix, 0, codec.memberPrefix.length())) {
          continue;
        }
        if (++read > limits.maxFlags()) {
          sink.dropped(header, DropReason.TOO_MANY_FLAGS);
          break;
        }
        int index = indexOf(key.substring(codec.memberPrefix.length()));
        if (!hasValue) {
          sink.dropped(header, DropReason.MALFORMED);
        } else if (index < 0) {
          sink.dropped(header, DropReason.UNKNOWN_FLAG);
        } else if (seen[index]) {
          duplicate[index] = true;
        } else {
          seen[index] = true;
          values[index] = read(raw, sink);
        }
      }
      for (int i = 0; i < values.length; i++) {
        if (duplicate[i]) {
          sink.dropped(header, DropReason.DUPLICATE);
        } else if (values[i] != null) {
          sink.flag(i, header, values[i]);
        }
      }
    }

    private String read(String member, ExtractSink sink) {
      int semicolon = member.indexOf(';');
      String raw = (semicolon < 0 ? member : member.substring(0, semicolon)).strip();
      if (raw.length() > limits.maxValueLength()) {
        sink.dropped(codec.header, DropReason.VALUE_TOO_LONG);
        return null;
      }
      String decoded = codec.decodeValue(raw);
      if (decoded == null) {
        sink.dropped(codec.header, DropReason.MALFORMED);
      }
      return decoded;
    }

    @Override
    public <C> void inject(FlagContext context, C carrier, HeaderSetter<C> setter) {
      codec.inject(context, carrier, setter);
    }
  }
}
