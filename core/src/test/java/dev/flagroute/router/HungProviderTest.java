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
 * A provider whose calls hang forever, with a deadline set. Stuck evaluations are found by the
 * router's clock (advanced by the test, so nothing here waits for a timing threshold) and replaced
 * by new threads within a hard cap, so the edge recovers once the provider answers new calls.
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

  @Test
  void stuckEvaluationsHoldAtMostTheHardCapOfThreads() throws Exception {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter router = router(openFeature);
      long before = evaluationThreads();

      for (int round = 0; round < 8; round++) {
        routeConcurrently(router, "round-" + round + "-", 64);
        clock.advance(Duration.ofMinutes(1));
        assertThat(evaluationThreads() - before).as("round %s", round).isLessThanOrEqualTo(EvaluationPool.MAX_THREADS);
      }

      assertThat(hungCalls.get()).as("hung calls fill every thread, and no more start")
          .isEqualTo(EvaluationPool.MAX_THREADS);
      assertThat(route(router, "late-user").decision("checkout").reason()).isEqualTo("DEADLINE_EXCEEDED");
      hanging.set(false);
      forever.countDown();
      assertThat(eventually(() -> evaluated(router, "late-user"))).as("hung calls returned: evaluated again")
          .isTrue();
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
    assertThat(counters.stuckEvaluations()).isGreaterThanOrEqualTo(32);
  }
}
