package dev.flagroute.benchmarks;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.Source;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Deciding ten routing flags at the edge with the flagd provider in FILE mode (offline, json-logic
 * evaluated in process), on a cache hit, against ten direct flagd evaluations for the same user.
 * Each flag is a 50/50 {@code fractional} split on the targeting key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FlagdEdgeBenchmark {
  private final Map<String, String> carrier = Fixtures.edgeCarrier();
  private final ImmutableContext user = Fixtures.user("user-4711");
  private Path flagsFile;
  private Client client;
  private FlagRouter router;

  /** Writes the flags file, starts the provider and checks that it evaluates rather than defaults. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    flagsFile = Files.createTempFile("flagroute-bench-flags", ".json");
    Files.writeString(flagsFile, Fixtures.flagdFlagsJson());
    FlagdOptions options = FlagdOptions.builder().resolverType(Config.Resolver.FILE)
        .offlineFlagSourcePath(flagsFile.toString()).build();
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait("bench-flagd", new FlagdProvider(options));
    client = api.getClient("bench-flagd");
    router = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.EDGE).client(client)
        .cacheKeyAttributes(Fixtures.KEY_ATTRIBUTES).build();
    FlagContext decided = edgeCacheHit();
    decided.forEach((route, decision) -> {
      if (decision.source() != Source.EVALUATED || !"TARGETING_MATCH".equals(decision.reason())) {
        throw new IllegalStateException("flagd did not evaluate " + route.key() + ": " + decision);
      }
    });
  }

  /** Stops the provider and deletes the flags file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    OpenFeatureAPI.getInstance().shutdown();
    Files.deleteIfExists(flagsFile);
  }

  /** Baseline: ten direct flagd evaluations. */
  @Benchmark
  public void baselineFlagdDirect(Blackhole blackhole) {
    for (String key : Fixtures.KEYS) {
      blackhole.consume(client.getStringValue(key, Fixtures.STABLE, user));
    }
  }

  /** flagroute at the edge over flagd, one user: every call after the first is a cache hit. */
  @Benchmark
  public FlagContext edgeCacheHit() {
    return router.route(carrier, HeaderGetter.forMap(), user);
  }
}
