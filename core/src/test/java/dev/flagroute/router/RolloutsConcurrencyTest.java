package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.support.MutableClock;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Many threads deciding and recording while the clock crosses every step and the variant turns
 * WORSE: each step and the roll-back are reported exactly once, in order, and once rolled back no
 * thread lets a user through.
 */
class RolloutsConcurrencyTest {
  static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
  static final String ROUTES = """
      routes:
        - flag: checkout
          service: reviews
          default: v1
          variants:
            v1: v1
            v2: {version: v2, ramp: {steps: [1, 5, 25, 50, 100], interval: 1m, start: '2026-01-05T09:00:00Z'}}
      """;
  static final int THREADS = 8;

  @Test
  void everyStepAndTheRollBackAreReportedOnceAndTheRollBackHolds() throws Exception {
    FlagRoutes routes = FlagRoutesFile.parse(ROUTES, "routes.yaml");
    MutableClock clock = new MutableClock(START.minusSeconds(1));
    List<RampStatus> changes = new CopyOnWriteArrayList<>();
    List<Verdict> verdicts = new CopyOnWriteArrayList<>();
    Rollouts rollouts = Rollouts.of(routes, Map.of("checkout",
        VerdictPolicy.builder().minRequests(200).calibrationRequests(100).errorDifference(0.1).build()), clock,
        verdicts::add, changes::add);
    FlagContext v2 = FlagContext.builder(routes).put("checkout", new FlagDecision("v2", Source.EVALUATED, "STATIC"))
        .build();
    FlagContext v1 = FlagContext.builder(routes).put("checkout", new FlagDecision("v1", Source.EVALUATED, "STATIC"))
        .build();
    AtomicBoolean failing = new AtomicBoolean();
    AtomicBoolean rolledBack = new AtomicBoolean();
    List<String> leaks = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < 20_000; i++) {
            boolean seenRolledBack = rolledBack.get();
            String user = "user-" + thread + "-" + i;
            FlagContext decided = rollouts.apply(v2, user);
            if (seenRolledBack && decided.variant("checkout").equals("v2")) {
              leaks.add(user);
            }
            rollouts.record(decided, failing.get() && decided.variant("checkout").equals("v2"), Duration.ofMillis(5));
            rollouts.record(v1, false, Duration.ofMillis(5));
            if (thread == 0 && i % 2_000 == 1_999) {
              clock.advance(Duration.ofSeconds(30)); // a step every 4,000 requests of this thread
            }
            if (thread == 0 && i == 12_000) {
              failing.set(true);
            }
            if (rollouts.ramps().get(0).state() == RampState.ROLLED_BACK) {
              rolledBack.set(true);
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(leaks).isEmpty();
    assertThat(changes).extracting(RampStatus::state).last().isEqualTo(RampState.ROLLED_BACK);
    assertThat(changes).filteredOn(s -> s.state() == RampState.ROLLED_BACK).hasSize(1);
    List<Integer> steps = changes.stream().filter(s -> s.state() != RampState.ROLLED_BACK).map(RampStatus::step)
        .toList();
    assertThat(steps).isSorted().doesNotHaveDuplicates().first().isEqualTo(0);
    assertThat(verdicts).filteredOn(v -> v.state() == VerdictState.WORSE).hasSize(1);
    assertThat(rollouts.apply(v2, "anyone").decision("checkout"))
        .isEqualTo(new FlagDecision("v1", Source.DEFAULT, FlagDecision.RAMP));
  }
}
