package dev.flagroute.benchmarks;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Ramp;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.time.Duration;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An edge request's whole life in the router, as the servlet filter drives it: a cache hit
 * ({@code FlagRouter.route}) and the report of how it ended ({@code FlagRouter.completed}, with
 * the latency and the user), over the ten flags of {@link Fixtures}, with a {@link RoutingCounters}
 * listener. The baseline is the same over routes without ramps; the others give every flag's
 * {@code canary} a ramp (at its 25% step for the whole run), which judges each flag (with
 * {@link #STRICT}), and, in the last pair, a rollout guard on every flag too.
 *
 * <p>Requests come from {@value #USERS} users in turn, all in the cache, so that ramps admit some
 * and cap others; latencies vary and no request fails, so the verdicts keep looking (the trial's
 * tear-down prints them: a decided verdict stops its test and would flatter the run). The
 * {@code Threads2} methods run the same with two threads on one router, for contention on the
 * shared counters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RolloutBookkeepingBenchmark {
  static final int USERS = 64;
  /**
   * The default policy but for a false-alarm bound so small that no verdict is decided by chance
   * during a run: a decided verdict stops testing, which would make the run cheaper than a rollout.
   */
  static final VerdictPolicy STRICT = VerdictPolicy.builder().alpha(1e-12).build();

  private final Map<String, String> carrier = Fixtures.edgeCarrier();
  private final ImmutableContext[] users = new ImmutableContext[USERS];
  private final String[] userIds = new String[USERS];
  private FlagRouter plain;
  private FlagRouter ramped;
  private FlagRouter guarded;

  /** Registers the provider and builds the routers. */
  @Setup(Level.Trial)
  public void setUp() {
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait("bench-rollouts", Fixtures.memoryProvider(new Fixtures.Evaluations()));
    Client client = api.getClient("bench-rollouts");
    FlagRoutes rampedRoutes = rampedRoutes();
    plain = router(Fixtures.ROUTES, client).build();
    ramped = router(rampedRoutes, client).build();
    FlagRouter.Builder withGuard = router(rampedRoutes, client);
    for (String key : Fixtures.KEYS) {
      withGuard.guard(key, GuardPolicy.defaults());
    }
    guarded = withGuard.build();
    for (int i = 0; i < USERS; i++) {
      users[i] = Fixtures.user("user-" + i);
      userIds[i] = users[i].getTargetingKey();
    }
    if (ramped.ramps().size() != Fixtures.KEYS.length || ramped.ramps().get(0).percent() != 25) {
      throw new IllegalStateException("the ramps stand at " + ramped.ramps());
    }
  }

  private static FlagRouter.Builder router(FlagRoutes routes, Client client) {
    FlagRouter.Builder builder = FlagRouter.builder(routes).mode(RoutingMode.EDGE).client(client)
        .cacheKeyAttributes(Fixtures.KEY_ATTRIBUTES).listener(new RoutingCounters());
    if (routes != Fixtures.ROUTES) {
      for (String key : Fixtures.KEYS) {
        builder.verdicts(key, STRICT);
      }
    }
    return builder;
  }

  /** The ten flags, each canary ramped 1, 5, 25, 50, 100% an hour apart, in the middle of its 25% step. */
  private static FlagRoutes rampedRoutes() {
    Instant start = Instant.now().minus(Duration.ofMinutes(150));
    FlagRoute[] routes = new FlagRoute[Fixtures.KEYS.length];
    for (int i = 0; i < routes.length; i++) {
      routes[i] = FlagRoute.builder(Fixtures.KEYS[i]).service(Fixtures.KEYS[i])
          .variant(Fixtures.STABLE, "v1").variant(Fixtures.CANARY, "v2").defaultVariant(Fixtures.STABLE)
          .ramp(Fixtures.CANARY, Ramp.of(start, Duration.ofHours(1), 1, 5, 25, 50, 100)).build();
    }
    return FlagRoutes.of(routes);
  }

  /** Prints the verdicts the run left, so that a decided (and so no longer tested) one shows. */
  @TearDown(Level.Trial)
  public void reportVerdicts() {
    for (FlagRouter router : new FlagRouter[] {ramped, guarded}) {
      long decided = router.verdicts().stream().map(Verdict::state)
          .filter(state -> state == VerdictState.WORSE || state == VerdictState.BETTER).count();
      System.out.printf("%nverdicts: %s, %d of %d decided%n", router.verdicts().get(0).state(), decided,
          router.verdicts().size());
    }
    OpenFeatureAPI.getInstance().shutdown();
  }

  /** One thread's requests: which user comes next, and a latency that varies. */
  @State(Scope.Thread)
  public static class Requests {
    int next;
    long random = 0x9E3779B97F4A7C15L;

    int nextUser() {
      int user = next;
      next = (next + 1) & (USERS - 1);
      return user;
    }

    /** A latency of 0.5 to 2.5 ms, from a xorshift sequence. */
    long latencyNanos() {
      random ^= random << 13;
      random ^= random >>> 7;
      random ^= random << 17;
      return 500_000 + Math.floorMod(random, 2_000_000L);
    }
  }

  private FlagContext request(FlagRouter router, Requests requests) {
    int user = requests.nextUser();
    FlagContext flags = router.route(carrier, HeaderGetter.forMap(), users[user]);
    router.completed(flags, new RequestOutcome(false, Duration.ofNanos(requests.latencyNanos()),
        RequestOutcome.user(userIds[user], null)));
    return flags;
  }

  /** Baseline: a cache hit and its report, over routes without ramps or verdicts. */
  @Benchmark
  public FlagContext plainHitCompleted(Requests requests) {
    return request(plain, requests);
  }

  /** The same over routes whose every flag has a ramp (and so a verdict). */
  @Benchmark
  public FlagContext rampedHitCompleted(Requests requests) {
    return request(ramped, requests);
  }

  /** The same with a rollout guard on every flag too (no target). */
  @Benchmark
  public FlagContext guardedHitCompleted(Requests requests) {
    return request(guarded, requests);
  }

  /** {@link #plainHitCompleted} on two threads at once. */
  @Benchmark
  @Threads(2)
  public FlagContext plainHitCompletedThreads2(Requests requests) {
    return request(plain, requests);
  }

  /** {@link #rampedHitCompleted} on two threads at once. */
  @Benchmark
  @Threads(2)
  public FlagContext rampedHitCompletedThreads2(Requests requests) {
    return request(ramped, requests);
  }

  /** {@link #guardedHitCompleted} on two threads at once (no target). */
  @Benchmark
  @Threads(2)
  public FlagContext guardedHitCompletedThreads2(Requests requests) {
    return request(guarded, requests);
  }
}
