package dev.flagroute.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 64 request threads each make 10,000 distinct contexts current in turn and hand each one across
 * two wrapped executors; every hop must see exactly its own context, and afterwards no thread of
 * any pool may hold one.
 */
class FlagContextConcurrencyTest {
  private static final int THREADS = 64;
  private static final int CONTEXTS_PER_THREAD = 10_000;
  private static final int WINDOW = 64;

  /** A flag naming the request thread and four naming the digits of the iteration: every context is distinct. */
  private static final FlagRoutes ROUTES = routes();

  private final AtomicLong hops = new AtomicLong();
  private final AtomicLong crossTalk = new AtomicLong();
  private final AtomicLong leftOnRequestThreads = new AtomicLong();
  private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();

  @AfterEach
  void leavesNoContextCurrent() {
    assertThat(FlagContext.current()).as("a FlagScope left open on the test thread").isSameAs(FlagContext.empty());
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang guard, not a speed check
  void contextsNeverCrossBetweenThreadsAndNoneStaysOnAPooledThread() throws Exception {
    ExecutorService requests = Executors.newFixedThreadPool(THREADS, named("request"));
    ExecutorService workers = Executors.newFixedThreadPool(8, named("worker"));
    ExecutorService callbacks = Executors.newFixedThreadPool(4, named("callback"));
    try {
      ExecutorService firstHop = FlagExecutors.wrap(workers);
      Executor secondHop = FlagExecutors.wrap((Executor) callbacks);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(requests.submit(() -> serve(thread, firstHop, secondHop)));
      }
      for (Future<?> future : done) {
        future.get(10, TimeUnit.MINUTES);
      }

      assertThat(examples).as("cross-talk examples").isEmpty();
      assertThat(crossTalk.get()).isZero();
      assertThat(leftOnRequestThreads.get()).isZero();
      assertThat(hops.get()).isEqualTo(2L * THREADS * CONTEXTS_PER_THREAD);
      assertNoContextOnAnyThread(requests, THREADS);
      assertNoContextOnAnyThread(workers, 8);
      assertNoContextOnAnyThread(callbacks, 4);
    } finally {
      for (ExecutorService pool : List.of(requests, workers, callbacks)) {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
      }
    }
  }

  /** One request thread: each context is current only while its work is handed off. */
  private void serve(int thread, ExecutorService firstHop, Executor secondHop) {
    List<CompletableFuture<Void>> window = new ArrayList<>(WINDOW);
    for (int i = 0; i < CONTEXTS_PER_THREAD; i++) {
      FlagContext expected = context(thread, i);
      CompletableFuture<Void> handled = new CompletableFuture<>();
      try (FlagScope scope = expected.makeCurrent()) {
        firstHop.execute(() -> {
          check(expected, "first hop");
          try {
            secondHop.execute(() -> {
              check(expected, "second hop");
              handled.complete(null);
            });
          } catch (RuntimeException e) {
            handled.completeExceptionally(e);
          }
        });
      }
      if (!FlagContext.current().isEmpty()) {
        leftOnRequestThreads.incrementAndGet();
      }
      window.add(handled);
      if (window.size() == WINDOW || i == CONTEXTS_PER_THREAD - 1) {
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).orTimeout(5, TimeUnit.MINUTES).join();
        window.clear();
      }
    }
  }

  private void check(FlagContext expected, String hop) {
    hops.incrementAndGet();
    FlagContext actual = FlagContext.current();
    if (actual != expected || !actual.variants().equals(expected.variants())) {
      crossTalk.incrementAndGet();
      if (examples.size() < 5) {
        examples.add(hop + " on " + Thread.currentThread().getName() + " expected " + expected.variants()
            + " but saw " + actual.variants());
      }
    }
  }

  /** Runs one task on every thread of the pool at once and checks that none holds a context. */
  private static void assertNoContextOnAnyThread(ExecutorService pool, int size) throws Exception {
    CyclicBarrier everyThread = new CyclicBarrier(size);
    Map<String, FlagContext> seen = new ConcurrentHashMap<>();
    List<Future<?>> probes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      probes.add(pool.submit(() -> {
        everyThread.await(1, TimeUnit.MINUTES);
        seen.put(Thread.currentThread().getName(), FlagContext.current());
        return null;
      }));
    }
    for (Future<?> probe : probes) {
      probe.get(2, TimeUnit.MINUTES);
    }
    assertThat(seen).hasSize(size);
    assertThat(seen.values()).allMatch(FlagContext::isEmpty, "no context left");
  }

  private static FlagContext context(int thread, int iteration) {
    FlagContext.Builder builder = FlagContext.builder(ROUTES).relayed("thread", "t" + thread);
    for (int digit = 0; digit < 4; digit++) {
      builder.relayed("digit" + digit, "d" + (iteration / (int) Math.pow(10, digit)) % 10);
    }
    return builder.build();
  }

  private static FlagRoutes routes() {
    List<FlagRoute> routes = new ArrayList<>();
    FlagRoute.Builder thread = FlagRoute.builder("thread").service("requests").defaultVariant("t0");
    IntStream.range(0, THREADS).forEach(t -> thread.variant("t" + t, "v" + t));
    routes.add(thread.build());
    for (int digit = 0; digit < 4; digit++) {
      FlagRoute.Builder route = FlagRoute.builder("digit" + digit).service("digits").defaultVariant("d0");
      IntStream.range(0, 10).forEach(d -> route.variant("d" + d, "v" + d));
      routes.add(route.build());
    }
    return FlagRoutes.of(routes);
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> new Thread(task, prefix + "-" + count.incrementAndGet());
  }
}
