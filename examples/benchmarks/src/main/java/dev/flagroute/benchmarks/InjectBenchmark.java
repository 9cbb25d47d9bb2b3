package dev.flagroute.benchmarks;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
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
 * Stamping a ten-flag context on an outbound carrier (a new map per call, as a new request has
 * new headers), against ten plain puts into a new map (the limit) and OpenTelemetry's W3C baggage
 * injection of a prebuilt ten-entry baggage (the peer).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class InjectBenchmark {
  private final String[] headers = new String[Fixtures.KEYS.length];
  private final String[] variants = new String[Fixtures.KEYS.length];
  private final FlagContext flags;
  private final Context otelContext;
  /** The codec as adapters and outbound helpers use it: the router's, bound to its routes. */
  private final HeaderCodec codec = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY).build().codec();

  /** Builds the context and the baggage, and checks that every benchmark writes all ten flags. */
  public InjectBenchmark() {
    FlagContext.Builder builder = FlagContext.builder(Fixtures.ROUTES);
    BaggageBuilder baggage = Baggage.builder();
    for (int i = 0; i < headers.length; i++) {
      headers[i] = Fixtures.flagHeader(i);
      variants[i] = Fixtures.stampedVariant(i);
      builder.relayed(Fixtures.KEYS[i], variants[i]);
      baggage.put("flag." + Fixtures.KEYS[i], variants[i]);
    }
    flags = builder.build();
    otelContext = Context.root().with(baggage.build());
    if (!baselineMapPuts().equals(flagrouteInject())) {
      throw new IllegalStateException("flagroute wrote " + flagrouteInject() + ", not " + baselineMapPuts());
    }
    if (!peerOtelBaggageInject().get("baggage").contains("flag.profile=stable")) {
      throw new IllegalStateException("OpenTelemetry wrote " + peerOtelBaggageInject());
    }
  }

  /** The limit: ten puts into a new map. */
  @Benchmark
  public Map<String, String> baselineMapPuts() {
    Map<String, String> carrier = new HashMap<>();
    for (int i = 0; i < headers.length; i++) {
      carrier.put(headers[i], variants[i]);
    }
    return carrier;
  }

  /** The peer: OpenTelemetry writes the ten-entry baggage into a new map. */
  @Benchmark
  public Map<String, String> peerOtelBaggageInject() {
    Map<String, String> carrier = new HashMap<>();
    W3CBaggagePropagator.getInstance().inject(otelContext, carrier, Map::put);
    return carrier;
  }

  /**
   * flagroute: the router's per-flag codec ({@code router.codec()}, as the adapters, OkHttp and
   * java.net.http helpers stamp) writes the ten {@code x-flag-*} headers into a new map.
   */
  @Benchmark
  public Map<String, String> flagrouteInject() {
    Map<String, String> carrier = new HashMap<>();
    codec.inject(flags, carrier, HeaderSetter.forMap());
    return carrier;
  }
}
