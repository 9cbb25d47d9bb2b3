package dev.flagroute.spring.tracing;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request's flags as Micrometer Tracing baggage and span tags. The baggage fields are named and
 * valued exactly as the router's codec writes the flags on the wire: {@code x-flag-checkout=v2}
 * with the per-flag codec, {@code x-flags=checkout=v2,...} with the combined one, and the members
 * {@code flag.checkout=v2} with the baggage codec. So listing them in
 * {@code management.tracing.baggage.remote-fields} makes tracing carry the same headers (even
 * through services without flagroute), {@code management.tracing.baggage.correlation.fields} puts
 * them in the MDC, and with the baggage codec they travel in tracing's own {@code baggage} header,
 * which flagroute's stamping then merges into rather than duplicating. The current span is tagged
 * {@code flag.<key>} with each variant.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class TracingFlagBaggage {
  private static final String BAGGAGE_HEADER = "baggage";

  private final Tracer tracer;
  private final HeaderCodec codec;

  /** Baggage of {@code tracer}, named after what {@code codec} (the router's) writes. */
  public TracingFlagBaggage(Tracer tracer, HeaderCodec codec) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** The baggage fields of {@code flags}, in order: what the codec writes, members split out. */
  public Map<String, String> fields(FlagContext flags) {
    Map<String, String> headers = new LinkedHashMap<>();
    codec.inject(flags, headers, HeaderSetter.forMap());
    String members = headers.remove(BAGGAGE_HEADER);
    if (members != null) {
      for (String member : members.split(",")) {
        int equals = member.indexOf('=');
        if (equals > 0) {
          headers.put(member.substring(0, equals).strip(), member.substring(equals + 1).strip());
        }
      }
    }
    return headers;
  }

  /**
   * Tags the current span with {@code flags} and makes them current baggage until the returned
   * scope closes; a context with nothing to stamp ({@link FlagContext#hasNothingToStamp()}) changes
   * nothing.
   */
  public Scope open(FlagContext flags) {
    if (flags.hasNothingToStamp()) {
      return () -> { };
    }
    tag(tracer.currentSpan(), flags);
    List<BaggageInScope> scopes = new ArrayList<>();
    fields(flags).forEach((name, value) -> scopes.add(tracer.createBaggageInScope(name, value)));
    Collections.reverse(scopes);
    return () -> scopes.forEach(BaggageInScope::close);
  }

  /** Tags {@code span}, when there is one, with {@code flag.<key>} and each variant. */
  public void tag(Span span, FlagContext flags) {
    if (span != null) {
      flags.variants().forEach((key, variant) -> span.tag("flag." + key, variant));
    }
  }

  /** The current baggage of one request; closing it restores the baggage before. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    /** Ends the request's baggage. */
    @Override
    void close();
  }
}
