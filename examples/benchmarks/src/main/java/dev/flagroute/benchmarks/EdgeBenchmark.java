package dev.flagroute.benchmarks;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.time.Duration;
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
 * Deciding ten routing flags at the edge (EDGE mode) with OpenFeature's in-memory provider, on a
 * cache hit and on a cache miss, against ten direct {@code getStringValue} calls with the same
 * evaluation context (targeting key and two attributes). The provider splits each flag 50/50 on
 * a hash of the targeting key. The edge request carries ten ordinary headers and no flag header.
 *
 * <p>Misses come from rotating through {@value #USERS} distinct users with a cache of
 * {@value #MISS_CACHE_SIZE} entries; the trial's tear-down prints the miss rate it saw. A full
 * cache stores a key on its second miss only, so a user seen once costs no insert; the newcomer
 * benchmarks send each user twice in a row, so that every second request pays for the insert and
 * the eviction it causes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EdgeBenchmark {
  static final int USERS = 1 << 16;
  static final int MISS_CACHE_SIZE = 256;

  private final Fixtures.Evaluations evaluations = new Fixtures.Evaluations();
  private final Map<String, String> carrier = Fixtures.edgeCarrier();
  private final ImmutableContext oneUser = Fixtures.user("user-4711");
  private final ImmutableContext[] users = new ImmutableContext[USERS];
  private int nextUser;
  private long rotatingRoutes;
  private long evaluationsAtSetup;
  private Client client;
  private FlagRouter cached;
  private FlagRouter counted;
  private FlagRouter countedForeign;
  private FlagRouter smallCache;
  private FlagRouter uncached;

  /** Registers the provider and builds the routers. */
  @Setup(Level.Trial)
  public void setUp() {
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait("bench-memory", Fixtures.memoryProvider(evaluations));
    client = api.getClient("bench-memory");
    cached = router().build();
    counted = router().listener(new RoutingCounters()).build();
    countedForeign = router().listener(new RoutingCounters()).reportForeignHeaders(true).build();
    smallCache = router().cache(MISS_CACHE_SIZE, Duration.ofMinutes(10)).build();
    uncached = router().noCache().build();
    for (int i = 0; i < USERS; i++) {
      users[i] = Fixtures.user("user-" + i);
    }
    FlagContext hit = edgeCacheHit();
    if (hit.size() != Fixtures.KEYS.length || !hit.variants().equals(uncached.route(carrier, HeaderGetter.forMap(),
        oneUser).variants())) {
      throw new IllegalStateException("the edge decided " + hit);
    }
    evaluationsAtSetup = evaluations.count;
  }

  private FlagRouter.Builder router() {
    return FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.EDGE).client(client)
        .cacheKeyAttributes(Fixtures.KEY_ATTRIBUTES);
  }

  /** Prints how many of the rotating-user routes missed the cache (each benchmark has its own fork). */
  @TearDown(Level.Trial)
  public void reportMisses() {
    if (rotatingRoutes > 0) {
      long routedEvaluations = evaluations.count - evaluationsAtSetup;
      System.out.printf("%nrotating users: %d routes, %.2f%% of them evaluated (missed the cache)%n", rotatingRoutes,
          100.0 * routedEvaluations / Fixtures.KEYS.length / rotatingRoutes);
    }
    OpenFeatureAPI.getInstance().shutdown();
  }

  private ImmutableContext nextUser() {
    ImmutableContext user = users[nextUser];
    nextUser = (nextUser + 1) & (USERS - 1);
    return user;
  }

  private void direct(ImmutableContext user, Blackhole blackhole) {
    for (String key : Fixtures.KEYS) {
      blackhole.consume(client.getStringValue(key, Fixtures.STABLE, user));
    }
  }

  /** Baseline: ten direct OpenFeature evaluations for one user. */
  @Benchmark
  public void baselineOpenFeatureOneUser(Blackhole blackhole) {
    direct(oneUser, blackhole);
  }

  /** flagroute at the edge, one user: every call after the first is a cache hit. */
  @Benchmark
  public FlagContext edgeCacheHit() {
    return cached.route(carrier, HeaderGetter.forMap(), oneUser);
  }

  /** The same with a {@link RoutingCounters} listener, as metrics run in production. */
  @Benchmark
  public FlagContext edgeCacheHitCounted() {
    return counted.route(carrier, HeaderGetter.forMap(), oneUser);
  }

  /**
   * The same with {@code reportForeignHeaders(true)} (no target): the router also looks at every
   * header name for flag headers a client sent, and for the shadow marker.
   */
  @Benchmark
  public FlagContext edgeCacheHitCountedForeign() {
    return countedForeign.route(carrier, HeaderGetter.forMap(), oneUser);
  }

  /** flagroute at the edge without a cache: every call evaluates the ten flags (not a target). */
  @Benchmark
  public FlagContext edgeNoCache() {
    return uncached.route(carrier, HeaderGetter.forMap(), oneUser);
  }

  /** Baseline for misses: ten direct OpenFeature evaluations, a different user each call. */
  @Benchmark
  public void baselineOpenFeatureRotatingUsers(Blackhole blackhole) {
    direct(nextUser(), blackhole);
  }

  /** flagroute at the edge, a different user each call: every call misses the small cache. */
  @Benchmark
  public FlagContext edgeCacheMissRotatingUsers() {
    rotatingRoutes++;
    return smallCache.route(carrier, HeaderGetter.forMap(), nextUser());
  }

  /** Baseline for a newcomer: twenty direct OpenFeature evaluations, ten per request of a new user. */
  @Benchmark
  public void baselineOpenFeatureNewcomerTwoRequests(Blackhole blackhole) {
    ImmutableContext user = nextUser();
    direct(user, blackhole);
    direct(user, blackhole);
  }

  /**
   * A new user's first two requests at the edge, with a full cache: both miss, and the second
   * stores the decision, evicting another entry.
   */
  @Benchmark
  public void edgeCacheMissNewcomerTwoRequests(Blackhole blackhole) {
    ImmutableContext user = nextUser();
    rotatingRoutes += 2;
    blackhole.consume(smallCache.route(carrier, HeaderGetter.forMap(), user));
    blackhole.consume(smallCache.route(carrier, HeaderGetter.forMap(), user));
  }
}
