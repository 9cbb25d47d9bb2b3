package dev.flagroute.router;

import static dev.flagroute.support.OpenFeatureFixture.eventually;
import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.support.MutableClock;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestProviders;
import dev.flagroute.support.TestProviders.StringProvider;
import dev.openfeature.sdk.ImmutableContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A provider whose calls hang forever (on a latch released only when the test ends), with a
 * deadline set. Stuck evaluations are found by the router's clock (advanced by the test, so nothing
 * here waits for a timing threshold); the pool probes a hanging provider with back-off within a
 * hard cap of threads, so the edge recovers once the provider answers new calls.
 */
class HungProviderTest {
  private static final Map<String, String> NO_HEADERS = Map.of();
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final Duration DEADLINE = Duration.ofMillis(20);

  /** Hung calls wait on this; it opens only when the test ends, so that they hang "forever" within it. */
  private final CountDownLatch forever = new CountDownLatch(1);
  private final AtomicBoolean hanging = new AtomicBoolean(true);
  private final AtomicInteger hungCalls = new AtomicInteger();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final RoutingCounters counters = new RoutingCounters();

  @AfterEach
  void releaseHungCalls() {
    forever.countDown();
  }

  /** Answers v2 for "beta" users and "on" for search; while {@link #hanging}, every call hangs. */
  private StringProvider provider() {
    return new StringProvider((key, ctx) -> {
      if (hanging.get()) {
        hungCalls.incrementAndGet();
        try {
          forever.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return TestProviders.answer(key.equals("checkout") ? (ctx.getTargetingKey().startsWith("beta") ? "v2" : "v1")
          : "on");
    });
  }

  private FlagRouter router(OpenFeatureFixture openFeature) {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client()).deadline(DEADLINE)
        .clock(clock).listener(counters).build();
  }

  private static FlagContext route(FlagRouter router, String user) {
    return router.route(NO_HEADERS, GETTER, new ImmutableContext(user));
  }

  private static boolean evaluated(FlagRouter router, String user) {
    return route(router, user).decision("checkout").source() == Source.EVALUATED;
  }

  /**
   * Waits until no evaluation that answers is still running, so that moving the router's clock
   * cannot make one that has answered look stuck: the test's clock runs far ahead of real time.
   * Hung calls were already taken as stuck and do not count.
   */
  private static void settle(FlagRouter router) throws ReflectiveOperationException {
    Object pipeline = read(FlagRouter.class, "pipeline", router);
    Object pool = read(EdgeEvaluator.class, "pool", read(EdgePipeline.class, "evaluator", pipeline));
    AtomicInteger running = (AtomicInteger) read(EvaluationPool.class, "active", pool);
    assertThat(eventually(() -> running.get() == 0)).as("evaluations that answer finish").isTrue();
  }

  private static Object read(Class<?> type, String name, Object instance) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(instance);
  }

  private static long evaluationThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().startsWith("flagroute-evaluation-")).count();
  }

  /** Routes {@code users} distinct users from 16 threads at once; returns how many got a default. */
  private static int routeConcurrently(FlagRouter router, String prefix, int users) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        String user = prefix + i;
        answers.add(pool.submit(() -> route(router, user).decision("checkout").source() == Source.DEFAULT));
      }
      int defaults = 0;
      for (Future<Boolean> answer : answers) {
        defaults += answer.get(1, TimeUnit.MINUTES) ? 1 : 0;
      }
      return defaults;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theEdgeRecoversFromAProviderThatHangsForeverOnceItAnswersNewCalls() throws Exception {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter router = router(openFeature);

      assertThat(routeConcurrently(router, "hung-", 200)).as("every request while the provider hangs")
          .isEqualTo(200);
      assertThat(eventually(() -> hungCalls.get() == EvaluationPool.MAX_ACTIVE)).isTrue();
      hanging.set(false);
      assertThat(route(router, "beta-before").decision("checkout").reason())
          .as("every evaluation thread is held by a hung call not yet found stuck").isEqualTo("DEADLINE_EXCEEDED");

      clock.advance(Duration.ofMinutes(1));

      assertThat(eventually(() -> evaluated(router, "beta-1"))).as("a new user is evaluated again").isTrue();
      assertThat(route(router, "beta-1").variant("checkout")).isEqualTo("v2");
      routeConcurrently(router, "user-", 100);
      assertThat(eventually(() -> evaluated(router, "user-7") && evaluated(router, "beta-before"))).isTrue();
      assertThat(counters.stuckEvaluations()).isEqualTo(EvaluationPool.MAX_ACTIVE);
      assertThat(hungCalls.get()).as("the hung calls still hang").isEqualTo(EvaluationPool.MAX_ACTIVE);
    }
  }

  /**
   * The outside testers' probe, stretched over an hour of the router's clock: every call hangs for
   * good; the pool probes with back-off, so the hour costs a handful of threads, and once the
   * provider answers new calls, evaluation resumes within the stated bound (the hang's duration plus
   * twice the stuck threshold of one second), while the hung calls never return.
   */
  @Test
  void aProviderThatHangsForAnHourCostsFewThreadsAndEvaluationResumesWithinTheBound() throws Exception {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter router = router(openFeature);
      long before = evaluationThreads();
      Instant hangStarted = clock.instant();
      routeConcurrently(router, "hung-", 64);
      assertThat(eventually(() -> hungCalls.get() == EvaluationPool.MAX_ACTIVE)).isTrue();

      for (int second = 0; second < 3600; second++) {
        clock.advance(Duration.ofSeconds(1));
        assertThat(route(router, "during-" + second).decision("checkout").source()).isEqualTo(Source.DEFAULT);
      }
      // probes at 1, 3, 6, 11, 20, 37, 70, 135, 264, 521, 1034 and 2059 s, each found stuck a second later
      int probes = 12;
      assertThat(eventually(() -> hungCalls.get() == EvaluationPool.MAX_ACTIVE + probes))
          .as("probes back off: about log2(3600) + 2 of them in an hour, %s", hungCalls.get()).isTrue();
      assertThat(evaluationThreads() - before).isLessThanOrEqualTo(EvaluationPool.MAX_THREADS);

      hanging.set(false);
      Instant healed = clock.instant();
      int steps = 0;
      while (!evaluated(router, "after-" + steps) && steps < 10_000) {
        settle(router);
        clock.advance(Duration.ofSeconds(1));
        steps++;
      }
      Duration hung = Duration.between(hangStarted, healed);
      Duration recovery = Duration.between(healed, clock.instant());
      assertThat(recovery).as("resumed %s after a hang of %s", recovery, hung)
          .isLessThanOrEqualTo(hung.plusSeconds(2 + 2)); // the bound, plus two one-second steps of this loop
      assertThat(eventually(() -> evaluated(router, "user-1") && evaluated(router, "beta-2"))).isTrue();
      assertThat(route(router, "beta-2").variant("checkout")).isEqualTo("v2");
      assertThat(hungCalls.get()).as("the hung calls still hang").isEqualTo(EvaluationPool.MAX_ACTIVE + probes);
    }
  }

  /**
   * A provider that hangs and recovers again and again: every episode leaves threads hung for good,
   * yet the pool never holds more than {@link EvaluationPool#MAX_THREADS}, and after each episode
   * evaluation resumes as long as a thread is left.
   */
  @Test
  void aProviderHangingAgainAndAgainNeverHoldsMoreThanTheCapOfThreads() throws Exception {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter router = router(openFeature);
      long before = evaluationThreads();
      int episodes = 0;
      while (hungCalls.get() < EvaluationPool.MAX_THREADS && episodes < 200) {
        hanging.set(true);
        int hungBefore = hungCalls.get();
        routeConcurrently(router, "episode-" + episodes + "-", 64);
        assertThat(eventually(() -> hungCalls.get() > hungBefore)).as("episode %s: %s calls hung, %s stuck", episodes,
            hungCalls.get(), counters.stuckEvaluations()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        routeConcurrently(router, "probe-" + episodes + "-", 16);
        assertThat(evaluationThreads() - before).as("episode %s", episodes)
            .isLessThanOrEqualTo(EvaluationPool.MAX_THREADS);
        hanging.set(false);
        clock.advance(Duration.ofMinutes(1));
        if (hungCalls.get() < EvaluationPool.MAX_THREADS) {
          int steps = 0;
          while (!evaluated(router, "beta-" + episodes + "-" + steps) && steps < 1000) {
            settle(router);
            clock.advance(Duration.ofSeconds(1));
            steps++;
          }
          assertThat(steps).as("episode %s, %s calls hung: resumed within the bound", episodes, hungCalls.get())
              .isLessThanOrEqualTo(2 + 2 + 2);
          settle(router); // the evaluation that answered has ended the suspicion before the next episode
        }
        episodes++;
      }

      assertThat(hungCalls.get()).as("hung calls never exceed the cap").isEqualTo(EvaluationPool.MAX_THREADS);
      assertThat(episodes).as("each episode costs fewer threads than the one before").isGreaterThan(8);
      assertThat(route(router, "late-user").decision("checkout").reason()).isEqualTo("DEADLINE_EXCEEDED");
      forever.countDown();
      assertThat(eventually(() -> {
        clock.advance(Duration.ofMinutes(1));
        return evaluated(router, "late-user");
      })).as("hung calls returned: evaluated again").isTrue();
    }
  }

  /** Without a deadline a hung call hangs its own request only: every other request is evaluated. */
  @Test
  void withoutADeadlineAHungCallHoldsOnlyItsOwnRequest() throws Exception {
    StringProvider selective = new StringProvider((key, ctx) -> {
      if (ctx.getTargetingKey().startsWith("hang")) {
        hungCalls.incrementAndGet();
        try {
          forever.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return TestProviders.answer(key.equals("checkout") ? "v2" : "on");
    });
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(selective)) {
      FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client()).build();
      ExecutorService requests = Executors.newFixedThreadPool(4);
      try {
        for (int i = 0; i < 4; i++) {
          String user = "hang-" + i;
          requests.submit(() -> route(router, user));
        }
        assertThat(eventually(() -> hungCalls.get() == 4)).isTrue();

        for (int i = 0; i < 100; i++) {
          assertThat(evaluated(router, "user-" + i)).isTrue();
        }
      } finally {
        forever.countDown();
        requests.shutdown();
      }
    }
  }

  @Test
  void stuckEvaluationsAreReportedWithOneWarning() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter router = router(openFeature);
      routeConcurrently(router, "hung-", 40);
      assertThat(eventually(() -> hungCalls.get() == EvaluationPool.MAX_ACTIVE)).isTrue();
      clock.advance(Duration.ofMinutes(1));

      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try {
        routeConcurrently(router, "more-", 40);
        clock.advance(Duration.ofMinutes(1).minusSeconds(1));
        routeConcurrently(router, "again-", 40);
      } finally {
        System.setErr(original);
      }
    }
    List<String> warnings = log.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.contains("WARN") && line.contains("stuck")).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("16 flag evaluations").contains("running for over 1s");
    assertThat(counters.stuckEvaluations()).as("16, then one probe at a time").isEqualTo(17);
  }
}
