package dev.flagroute.testing;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.access.CodecAccess;
import dev.flagroute.internal.access.ExtractSink;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.opentest4j.AssertionFailedError;

/**
 * The flag variants a request carried, read from its headers with the same {@link HeaderCodec}
 * the services use, with assertions whose failures show the expected and the actual variants.
 * Values are read as sent, not checked against the routes' variants, so that a wrong variant shows.
 * Flags are named by their route keys, matched ignoring case.
 *
 * <pre>{@code
 * RecordedRequest recorded = server.takeRequest();
 * StampedFlags.ofMultimap(recorded.getHeaders().toMultimap(), routes)
 *     .assertVariants(Map.of("checkout", "v2"));
 * }</pre>
 */
public final class StampedFlags {
  private static final HeaderLimits GENEROUS = new HeaderLimits(4096, 1 << 16, 1 << 20);

  private final HeaderCodec codec;
  private final FlagRoutes routes;
  private final Map<String, String> variants;
  private final List<String> unreadable;
  private final Map<String, List<String>> flagHeaders;

  private StampedFlags(Map<String, List<String>> headers, FlagRoutes routes, HeaderCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.routes = Objects.requireNonNull(routes, "routes");
    Map<String, List<String>> lower = new LinkedHashMap<>();
    headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
        .addAll(values));
    Map<String, String> read = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    HeaderCodec bound = CodecAccess.bind(codec, routes, GENEROUS, WireNames.OVERRIDE_HEADER, WireNames.SHADOW_HEADER);
    CodecAccess.extract(bound, lower, HeaderGetter.forMultiMap(), new ExtractSink() {
      @Override
      public void flag(int routeIndex, String header, String value) {
        read.put(routes.asList().get(routeIndex).key(), value);
      }

      @Override
      public void dropped(String header, DropReason reason) {
        dropped.add(header + " (" + reason + ")");
      }
    });
    Map<String, List<String>> owned = new TreeMap<>();
    lower.forEach((name, values) -> {
      if (codec.owns(name)) {
        owned.put(name, List.copyOf(values));
      }
    });
    this.variants = Collections.unmodifiableMap(read);
    this.unreadable = List.copyOf(dropped);
    this.flagHeaders = Collections.unmodifiableMap(owned);
  }

  /**
   * Reads the flags of {@code routes} from headers with several values per name, such as OkHttp's
   * {@code Headers.toMultimap()} or {@code java.net.http.HttpHeaders.map()}, with the default
   * {@link HeaderCodec#perFlag()} codec. Names are matched ignoring case.
   */
  public static StampedFlags ofMultimap(Map<String, List<String>> headers, FlagRoutes routes) {
    return ofMultimap(headers, routes, HeaderCodec.perFlag());
  }

  /** Reads the flags of {@code routes} from headers with several values per name, with {@code codec}. */
  public static StampedFlags ofMultimap(Map<String, List<String>> headers, FlagRoutes routes, HeaderCodec codec) {
    return new StampedFlags(headers, routes, codec);
  }

  /** Reads the flags of {@code routes} from headers with one value per name, with {@code codec}. */
  public static StampedFlags ofMap(Map<String, String> headers, FlagRoutes routes, HeaderCodec codec) {
    Map<String, List<String>> multimap = new LinkedHashMap<>();
    headers.forEach((name, value) -> multimap.put(name, List.of(value)));
    return new StampedFlags(multimap, routes, codec);
  }

  /** Flag key to the variant carried, as sent, in route order. */
  public Map<String, String> variants() {
    return variants;
  }

  /** Flag headers or members the codec could not read, such as {@code x-flag-old (UNKNOWN_FLAG)}. */
  public List<String> unreadable() {
    return unreadable;
  }

  /**
   * Asserts that the request carried exactly these flags with these variants, and no flag header
   * that cannot be read.
   */
  public StampedFlags assertVariants(Map<String, String> expected) {
    Map<String, String> canonical = new LinkedHashMap<>();
    expected.forEach((flag, variant) -> canonical.put(keyOf(flag), variant));
    if (!canonical.equals(variants) || !unreadable.isEmpty()) {
      throw new AssertionFailedError(describe("carried other flag variants than expected", canonical),
          new TreeMap<>(canonical).toString(), new TreeMap<>(variants).toString());
    }
    return this;
  }

  /** Asserts that the request carried the variants of {@code expected}, exactly; see {@link #assertVariants}. */
  public StampedFlags assertStamped(FlagContext expected) {
    return assertVariants(expected.variants());
  }

  /** Asserts that the request carried {@code variant} for {@code flag}; other flags are not checked. */
  public StampedFlags assertVariant(String flag, String variant) {
    String actual = variants.get(keyOf(flag));
    if (!variant.equals(actual)) {
      throw new AssertionFailedError(describe("carried " + (actual == null ? "no variant" : "variant '" + actual + "'")
          + " for flag '" + flag + "' instead of '" + variant + "'", Map.of(flag, variant)), variant, actual);
    }
    return this;
  }

  /** Asserts that the request carried no flag at all, readable or not. */
  public StampedFlags assertNone() {
    if (!variants.isEmpty() || !unreadable.isEmpty()) {
      throw new AssertionFailedError(describe("carried flags but should carry none", Map.of()),
          "{}", new TreeMap<>(variants).toString());
    }
    return this;
  }

  /** The route key of {@code flag}, matched ignoring case; a flag without route is a mistake in the test. */
  private String keyOf(String flag) {
    FlagRoute route = routes.get(flag);
    if (route == null) {
      throw new IllegalArgumentException("no route for flag '" + flag + "' among " + routes.asList().stream()
          .map(FlagRoute::key).toList());
    }
    return route.key();
  }

  private String describe(String what, Map<String, String> expected) {
    return "request " + what + " (read with " + codec + ")"
        + "\n  expected:   " + new TreeMap<>(expected)
        + "\n  actual:     " + new TreeMap<>(variants)
        + (unreadable.isEmpty() ? "" : "\n  unreadable: " + unreadable)
        + "\n  headers:    " + flagHeaders;
  }

  @Override
  public String toString() {
    return "StampedFlags" + variants + (unreadable.isEmpty() ? "" : " unreadable " + unreadable);
  }
}
