package dev.flagroute.codec;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.RouteNames;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code <prefix><key>: <variant>}, one header per flag. */
final class PerFlagHeaderCodec implements HeaderCodec {
  private static final Pattern TOKEN = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
  static final PerFlagHeaderCodec DEFAULT = new PerFlagHeaderCodec("x-flag-");

  private final String prefix;
  private final String upperPrefix;
  private volatile Names names = new Names(FlagRoutes.empty(), new String[0]);

  PerFlagHeaderCodec(String prefix) {
    String lower = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
    if (!TOKEN.matcher(lower).matches()) {
      throw new IllegalArgumentException("header prefix '" + prefix + "' must be a non-empty HTTP token such as 'x-flag-'");
    }
    this.prefix = lower;
    this.upperPrefix = lower.toUpperCase(Locale.ROOT);
  }

  /**
   * Reads each route's header, offering the value to the sink as is before checking it further;
   * headers with this prefix that name no route are reported as {@link DropReason#UNKNOWN_FLAG}.
   * Known and unknown flag headers together count towards {@link HeaderLimits#maxFlags()}; past
   * it, one {@link DropReason#TOO_MANY_FLAGS} ends the read.
   */
  @Override
  public <C> void extract(C carrier, HeaderGetter<C> getter, FlagRoutes routes, HeaderLimits limits, ExtractSink sink) {
    String[] headers = namesFor(routes);
    int read = 0;
    for (int i = 0; i < headers.length; i++) {
      String value = getter.get(carrier, headers[i]);
      if (value == null) {
        continue;
      }
      if (++read > limits.maxFlags()) {
        sink.dropped(headers[i], DropReason.TOO_MANY_FLAGS);
        return;
      }
      if (value.length() > limits.maxHeaderLength()) {
        sink.dropped(headers[i], DropReason.HEADER_TOO_LONG);
      } else if (value.length() > limits.maxValueLength()) {
        sink.dropped(headers[i], DropReason.VALUE_TOO_LONG);
      } else if (!sink.offer(i, value)) {
        // not a variant as it stands: repeated headers joined by ',', or a value to strip and check
        if (value.indexOf(',') >= 0) {
          sink.dropped(headers[i], DropReason.DUPLICATE);
        } else {
          sink.flag(i, value.strip());
        }
      }
    }
    if (ownedNames(carrier, getter) > read) {
      dropUnknown(carrier, getter, routes, read, limits, sink);
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
      if (owns(name)) {
        owned++;
      }
    }
    return owned;
  }

  private <C> void dropUnknown(C carrier, HeaderGetter<C> getter, FlagRoutes routes, int read, HeaderLimits limits,
      ExtractSink sink) {
    for (String name : getter.names(carrier)) {
      if (owns(name) && routes.indexOf(name.substring(prefix.length())) < 0) {
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
    if (context.isEmpty()) {
      return;
    }
    String[] headers = namesFor(context.routes());
    for (int i = 0; i < headers.length; i++) {
      FlagDecision decision = context.decision(i);
      if (decision != null) {
        setter.set(carrier, headers[i], decision.variant());
      }
    }
  }

  /**
   * Whether {@code headerName} starts with the prefix, ignoring case, and goes on after it. Called
   * for every inbound header name: ASCII names are compared with the prefix's two cases directly,
   * and only a name with other characters goes through {@link String#regionMatches}.
   */
  @Override
  public boolean owns(String headerName) {
    int length = prefix.length();
    if (headerName.length() <= length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = headerName.charAt(i);
      if (c != prefix.charAt(i) && c != upperPrefix.charAt(i)) {
        return c >= 128 && headerName.regionMatches(true, 0, prefix, 0, length);
      }
    }
    return true;
  }

  @Override
  public List<String> headerNames(FlagRoutes routes) {
    return Arrays.asList(namesFor(routes).clone());
  }

  @Override
  public HeaderMatch match(FlagRoute route, String variant) {
    if (!RouteNames.isVariant(variant)) {
      throw new IllegalArgumentException("not a variant: " + variant);
    }
    return new HeaderMatch(headerName(route), HeaderMatch.Type.EXACT, variant);
  }

  private String headerName(FlagRoute route) {
    return prefix + route.key().toLowerCase(Locale.ROOT);
  }

  private String[] namesFor(FlagRoutes routes) {
    Names cached = names;
    if (cached.routes != routes) {
      String[] computed = routes.asList().stream().map(this::headerName).toArray(String[]::new);
      cached = new Names(routes, computed);
      names = cached;
    }
    return cached.headers;
  }

  @Override
  public String toString() {
    return "HeaderCodec.perFlag(" + prefix + ")";
  }

  private record Names(FlagRoutes routes, String[] headers) {}
}
