package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many threads recording at once: every outcome counted, every change of state reported once. */
class VerdictMonitorConcurrencyTest {
  static final int THREADS = 8;
  static final int PER_THREAD = 20_000;

  @Test
  void countsEveryOutcomeAndReportsEachChangeOnce() throws Exception {
    List<Verdict> changes = new CopyOnWriteArrayList<>();
    VerdictMonitor monitor = VerdictMonitor.of(VerdictMonitorTest.ROUTE,
        VerdictPolicy.builder().minRequests(500).calibrationRequests(500).build(), changes::add);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < PER_THREAD; i++) {
            boolean variant = i % 2 == 0;
            int n = i / 2;
            // the variant fails one request in 10, the default one in 100; both as fast
            monitor.record(variant ? "v2" : "v1", variant ? n % 10 == 0 : n % 100 == 0, (n % 97) * 1_000_000L);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    Verdict verdict = monitor.verdict("v2");
    assertThat(verdict.errors().variantRequests() + verdict.errors().defaultRequests())
        .isEqualTo((long) THREADS * PER_THREAD);
    assertThat(verdict.errors().variantHits()).isEqualTo(THREADS * (PER_THREAD / 2 / 10L));
    assertThat(verdict.errors().defaultHits()).isEqualTo(THREADS * (PER_THREAD / 2 / 100L));
    assertThat(verdict.state()).isEqualTo(VerdictState.WORSE);
    assertThat(changes).extracting(Verdict::variant).containsOnly("v2");
    for (int i = 1; i < changes.size(); i++) {
      assertThat(changes.get(i).state()).isNotEqualTo(changes.get(i - 1).state());
    }
    assertThat(changes).extracting(Verdict::state).last().isEqualTo(VerdictState.WORSE);
    assertThat(changes).filteredOn(v -> v.state() == VerdictState.WORSE).hasSize(1);
  }
}
