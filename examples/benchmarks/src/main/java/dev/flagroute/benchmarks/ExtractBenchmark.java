package dev.flagroute.benchmarks;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading ten stamped flags at an interior hop (RELAY mode) into a {@link FlagContext}, against
 * ten plain map lookups copied into a new map (the limit) and OpenTelemetry's W3C baggage
 * extraction of the same ten entries (the peer). Every carrier also holds ten ordinary headers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExtractBenchmark {
  private static final TextMapGetter<Map<String, String>> OTEL_GETTER =
      (carrier, key) -> carrier == null ? null : carrier.get(key);

  private final Map<String, String> perFlagCarrier = Fixtures.perFlagCarrier();
  private final Map<String, String> baggageCarrier = Fixtures.baggageCarrier();
  private final String[] flagHeaders = new String[Fixtures.KEYS.length];
  private final FlagRouter relay = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY).build();
  private final FlagRouter countedRelay = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY)
      .listener(new RoutingCounters()).build();
  private final FlagRouter foreignCountedRelay = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY)
      .listener(new RoutingCounters()).reportForeignHeaders(true).build();
  private final FlagRouter baggageRelay = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY)
      .codec(HeaderCodec.baggage()).build();
  /** A relay whose routes define none of the ten flags: it carries them all on, unrouted. */
  private final FlagRouter unroutingRelay = FlagRouter.builder(FlagRoutes.empty()).mode(RoutingMode.RELAY).build();
  private final Map<String, String> outbound = new HashMap<>();
  private final Map<String, String> unroutedOutbound = new HashMap<>();

  /** Fills the header names and checks that every benchmark reads all ten flags. */
  public ExtractBenchmark() {
    for (int i = 0; i < flagHeaders.length; i++) {
      flagHeaders[i] = Fixtures.flagHeader(i);
    }
    check(baselineMapLookups().size(), "map lookups");
    check(peerOtelBaggageExtract().size(), "OpenTelemetry baggage");
    check(flagrouteRelay().variants().size(), "flagroute relay");
    check(flagrouteRelayCounted().variants().size(), "flagroute relay with counters");
    check(flagrouteRelayCountedForeign().variants().size(), "flagroute relay with counters, foreign headers");
    check(flagrouteRelayBaggageCodec().variants().size(), "flagroute relay, baggage codec");
    check(flagrouteRelayThenInject().size(), "flagroute relay then inject");
    check(flagrouteRelayThenInjectUnrouted().size(), "flagroute relay then inject, unrouted flags");
  }

  private static void check(int flags, String benchmark) {
    if (flags != Fixtures.KEYS.length) {
      throw new IllegalStateException(benchmark + " read " + flags + " flags, not " + Fixtures.KEYS.length);
    }
  }

  /** The limit: ten map lookups copied into a new map. */
  @Benchmark
  public Map<String, String> baselineMapLookups() {
    Map<String, String> flags = new HashMap<>();
    for (String header : flagHeaders) {
      String value = perFlagCarrier.get(header);
      if (value != null) {
        flags.put(header, value);
      }
    }
    return flags;
  }

  /** The peer: OpenTelemetry's W3C baggage extraction, its ten entries copied into a map. */
  @Benchmark
  public Map<String, String> peerOtelBaggageExtract() {
    Context context = W3CBaggagePropagator.getInstance().extract(Context.root(), baggageCarrier, OTEL_GETTER);
    Map<String, String> flags = new HashMap<>();
    Baggage.fromContext(context).forEach((key, entry) -> flags.put(key, entry.getValue()));
    return flags;
  }

  /** flagroute: a RELAY router reads the ten {@code x-flag-*} headers into a context. */
  @Benchmark
  public FlagContext flagrouteRelay() {
    return relay.route(perFlagCarrier, HeaderGetter.forMap());
  }

  /** The same with a {@link RoutingCounters} listener, as metrics run in production. */
  @Benchmark
  public FlagContext flagrouteRelayCounted() {
    return countedRelay.route(perFlagCarrier, HeaderGetter.forMap());
  }

  /**
   * The same with {@code reportForeignHeaders(true)} (no target): the codec also looks at every
   * header name for flags the routes do not know.
   */
  @Benchmark
  public FlagContext flagrouteRelayCountedForeign() {
    return foreignCountedRelay.route(perFlagCarrier, HeaderGetter.forMap());
  }

  /** flagroute reading the same ten flags from the W3C {@code baggage} header (not a target). */
  @Benchmark
  public FlagContext flagrouteRelayBaggageCodec() {
    return baggageRelay.route(baggageCarrier, HeaderGetter.forMap());
  }

  /**
   * One interior hop's whole work: read the ten flags and stamp them on an outbound carrier; for
   * the allocation per request (the outbound map is reused, so only flagroute's own allocation
   * counts).
   */
  @Benchmark
  public Map<String, String> flagrouteRelayThenInject() {
    FlagContext flags = relay.route(perFlagCarrier, HeaderGetter.forMap());
    relay.codec().inject(flags, outbound, HeaderSetter.forMap());
    return outbound;
  }

  /**
   * The same hop for a relay whose routes define none of the ten flags (older or partial routes):
   * it reads them as {@link FlagContext#carried() carried} flags and stamps them on unchanged,
   * against {@link #flagrouteRelayThenInject} with the same carrier.
   */
  @Benchmark
  public Map<String, String> flagrouteRelayThenInjectUnrouted() {
    FlagContext flags = unroutingRelay.route(perFlagCarrier, HeaderGetter.forMap());
    unroutingRelay.codec().inject(flags, unroutedOutbound, HeaderSetter.forMap());
    return unroutedOutbound;
  }
}
