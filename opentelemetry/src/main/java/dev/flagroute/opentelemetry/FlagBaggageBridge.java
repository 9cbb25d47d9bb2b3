package dev.flagroute.opentelemetry;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bridge between {@link FlagContext} and OpenTelemetry {@link Baggage}: each flag becomes the
 * baggage entry {@code <prefix><key>} with its variant, the very member
 * {@link HeaderCodec#baggage(String)} reads and writes.
 *
 * <p>Where OpenTelemetry propagates baggage (the Java agent, or instrumented clients with the W3C
 * baggage propagator), put the request's flags into the current baggage with
 * {@link #makeCurrent(FlagContext)} and let OpenTelemetry write the one {@code baggage} header:
 * hops instrumented only with OpenTelemetry then carry the flags, and flagroute hops whose router
 * uses {@code HeaderCodec.baggage(prefix)} read them from that header, so no flagroute stamping
 * interceptor writes a second {@code baggage} header. Where only an OpenTelemetry context arrives
 * (a message consumer, say), {@link #getter()} lets such a router read the flags back from it:
 * {@code router.route(Baggage.current(), FlagBaggageBridge.standard().getter())}.
 *
 * <p>Immutable and thread-safe.
 */
public final class FlagBaggageBridge {
  /** The member prefix of {@link HeaderCodec#baggage()}: {@value}. */
  public static final String DEFAULT_PREFIX = "flag.";

  private static final Pattern PREFIX = Pattern.compile("[a-z0-9._-]{1,32}");
  private static final FlagBaggageBridge STANDARD = new FlagBaggageBridge(DEFAULT_PREFIX);

  private final String prefix;

  private FlagBaggageBridge(String prefix) {
    this.prefix = prefix;
  }

  /** The bridge for {@link HeaderCodec#baggage()}'s members, {@code flag.<key>}. */
  public static FlagBaggageBridge standard() {
    return STANDARD;
  }

  /**
   * The bridge for {@link HeaderCodec#baggage(String)} with {@code memberPrefix}.
   *
   * @throws IllegalArgumentException if the prefix is not 1-32 of {@code a-z 0-9 . _ -}
   */
  public static FlagBaggageBridge withPrefix(String memberPrefix) {
    String lower = Objects.requireNonNull(memberPrefix, "memberPrefix").toLowerCase(Locale.ROOT);
    if (!PREFIX.matcher(lower).matches()) {
      throw new IllegalArgumentException("baggage member prefix must be 1-32 of a-z, 0-9, '.', '_' or '-', was '"
          + memberPrefix + "'");
    }
    return new FlagBaggageBridge(lower);
  }

  /**
   * {@code baggage} with every flag of {@code flags} as an entry, decided and
   * {@linkplain FlagContext#carried() carried} alike, replacing this prefix's entries it had and
   * keeping all others.
   */
  public Baggage put(Baggage baggage, FlagContext flags) {
    BaggageBuilder builder = baggage.toBuilder();
    baggage.forEach((key, entry) -> {
      if (key.toLowerCase(Locale.ROOT).startsWith(prefix)) {
        builder.remove(key);
      }
    });
    flags.forEach((route, decision) -> builder.put(prefix + route.key(), decision.variant()));
    flags.carried().forEach((key, variant) -> builder.put(prefix + key, variant));
    return builder.build();
  }

  /**
   * Makes {@code flags} part of the current OpenTelemetry baggage until the scope closes, so that
   * OpenTelemetry's propagators carry them on outbound calls.
   */
  public Scope makeCurrent(FlagContext flags) {
    Context context = Context.current();
    return context.with(put(Baggage.fromContext(context), flags)).makeCurrent();
  }

  /**
   * Reads a {@link Baggage} as the headers of a router whose codec is
   * {@code HeaderCodec.baggage(prefix)}: header {@code baggage} holds this prefix's entries as W3C
   * members (values percent-encoded). The router validates them as it does any header.
   */
  public HeaderGetter<Baggage> getter() {
    return new HeaderGetter<>() {
      @Override
      public String get(Baggage carrier, String name) {
        if (!"baggage".equalsIgnoreCase(name)) {
          return null;
        }
        StringBuilder members = new StringBuilder();
        carrier.forEach((key, entry) -> {
          if (key.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            members.append(members.length() == 0 ? "" : ",").append(key).append('=')
                .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
          }
        });
        return members.length() == 0 ? null : members.toString();
      }

      @Override
      public Iterable<String> names(Baggage carrier) {
        return List.of("baggage");
      }
    };
  }

  @Override
  public String toString() {
    return "FlagBaggageBridge(" + prefix + ")";
  }
}
