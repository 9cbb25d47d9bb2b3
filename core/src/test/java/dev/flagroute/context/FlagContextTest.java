package dev.flagroute.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlagContextTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
          .build(),
      FlagRoute.builder("search").service("search").variant("off", "v1").variant("on", "v2").defaultVariant("off")
          .build());
  private static final FlagContext V1 = FlagContext.builder(ROUTES).relayed("checkout", "v1").build();
  private static final FlagContext V2 = FlagContext.builder(ROUTES).relayed("checkout", "v2")
      .evaluated("search", "on", "TARGETING_MATCH").build();

  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
  }

  @AfterEach
  void leavesNoContextCurrent() {
    assertThat(FlagContext.current()).as("a FlagScope left open on the test thread").isSameAs(FlagContext.empty());
  }

  @Test
  void holdsDecisionsInRouteOrder() {
    assertThat(V2.variants()).containsExactly(Map.entry("checkout", "v2"), Map.entry("search", "on"));
    assertThat(V2.decision("SEARCH")).isEqualTo(new FlagDecision("on", Source.EVALUATED, "TARGETING_MATCH"));
    assertThat(V2.decision("checkout")).isEqualTo(new FlagDecision("v2", Source.RELAYED, FlagDecision.RELAYED));
    assertThat(V1.variant("search")).isNull();
    assertThat(V1.variant("unknown")).isNull();
    assertThat(V1.size()).isEqualTo(1);
    assertThat(V2.toBuilder().fillDefaults(FlagDecision.MISSING).build()).isEqualTo(V2);
    assertThat(V1.toBuilder().fillDefaults(FlagDecision.MISSING).build().decision("search"))
        .isEqualTo(new FlagDecision("off", Source.DEFAULT, FlagDecision.MISSING));
  }

  @Test
  void summarisesVariantsOnOneLineOnce() {
    assertThat(V2.variantSummary()).isEqualTo("checkout=v2,search=on").isSameAs(V2.variantSummary());
    assertThat(V1.variantSummary()).isEqualTo("checkout=v1");
    assertThat(FlagContext.empty().variantSummary()).isEmpty();
  }

  @Test
  void rejectsFlagsAndVariantsTheRoutesDoNotHave() {
    assertThatThrownBy(() -> FlagContext.builder(ROUTES).relayed("payment", "v1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown flag 'payment'");
    assertThatThrownBy(() -> FlagContext.builder(ROUTES).relayed("checkout", "v3"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no variant 'v3'");
  }

  @Test
  void aBuiltBuilderCannotChangeTheContext() {
    FlagContext.Builder builder = FlagContext.builder(ROUTES).relayed("checkout", "v1");
    FlagContext built = builder.build();

    assertThatThrownBy(() -> builder.relayed("checkout", "v2")).isInstanceOf(IllegalStateException.class);
    assertThat(built.variant("checkout")).isEqualTo("v1");
  }

  @Test
  void currentIsEmptyOutsideAnyScope() {
    assertThat(FlagContext.current().isEmpty()).isTrue();
    assertThat(FlagContext.current()).isEqualTo(FlagContext.empty());
  }

  @Test
  void nestedScopesRestoreTheOuterContext() {
    try (FlagScope outer = V1.makeCurrent()) {
      assertThat(FlagContext.current()).isSameAs(V1);
      try (FlagScope inner = V2.makeCurrent()) {
        assertThat(FlagContext.current()).isSameAs(V2);
        try (FlagScope again = V2.makeCurrent()) {
          assertThat(FlagContext.current()).isSameAs(V2);
        }
        assertThat(FlagContext.current()).as("re-entering the current context is a no-op").isSameAs(V2);
      }
      assertThat(FlagContext.current()).isSameAs(V1);
    }
    assertThat(FlagContext.current().isEmpty()).isTrue();
  }

  @Test
  void closeIsIdempotent() {
    try (FlagScope outer = V1.makeCurrent()) {
      FlagScope inner = V2.makeCurrent();
      inner.close();
      assertThat(FlagContext.current()).isSameAs(V1);
      inner.close();
      assertThat(FlagContext.current()).as("a second close must not restore anything again").isSameAs(V1);
    }
    assertThat(FlagContext.current().isEmpty()).isTrue();
  }

  @Test
  void wrappedRunnableRunsWithTheContextAndRestoresTheThread() throws Exception {
    AtomicReference<FlagContext> seen = new AtomicReference<>();
    Runnable task = () -> seen.set(FlagContext.current());

    pool.submit(V2.wrap(task)).get(60, TimeUnit.SECONDS);

    assertThat(seen.get()).isSameAs(V2);
    assertThat(poolThreadContext()).isEqualTo(FlagContext.empty());
  }

  @Test
  void wrappedCallableRunsWithTheContextEvenWhenItThrows() throws Exception {
    Callable<String> failing = () -> {
      throw new IllegalStateException(FlagContext.current().variant("checkout"));
    };

    Future<String> result = pool.submit(V2.wrap(failing));

    assertThatThrownBy(() -> result.get(60, TimeUnit.SECONDS)).hasRootCauseMessage("v2");
    assertThat(pool.submit(V1.wrap(() -> FlagContext.current().variant("checkout"))).get(60, TimeUnit.SECONDS))
        .isEqualTo("v1");
    assertThat(poolThreadContext()).isEqualTo(FlagContext.empty());
  }

  @Test
  void wrappedExecutorCarriesTheContextCurrentAtExecute() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    CompletableFuture<Void> done;
    Executor executor = FlagExecutors.wrap((Executor) pool);
    try (FlagScope scope = V2.makeCurrent()) {
      done = CompletableFuture.runAsync(() -> seen.set(FlagContext.current().variant("checkout")), executor);
    }
    done.get(60, TimeUnit.SECONDS);

    assertThat(seen.get()).isEqualTo("v2");
    assertThat(poolThreadContext()).isEqualTo(FlagContext.empty());
  }

  @Test
  void wrappedExecutorServiceCarriesTheContextOnEverySubmission() throws Exception {
    ExecutorService wrapped = FlagExecutors.wrap(pool);
    AtomicReference<String> executed = new AtomicReference<>();
    Future<?> runnable;
    Future<String> runnableWithResult;
    Future<String> callable;
    List<Future<String>> all;
    String any;
    try (FlagScope scope = V2.makeCurrent()) {
      wrapped.execute(() -> executed.set(FlagContext.current().variant("checkout")));
      Runnable check = () -> assertThat(FlagContext.current()).isSameAs(V2);
      runnable = wrapped.submit(check);
      runnableWithResult = wrapped.submit(check, "done");
      callable = wrapped.submit(() -> FlagContext.current().variant("search"));
      all = wrapped.invokeAll(List.of(() -> FlagContext.current().variant("checkout"),
          () -> FlagContext.current().variant("search")));
      any = wrapped.invokeAny(List.of(() -> FlagContext.current().variant("checkout")));
    }
    try (FlagScope scope = V1.makeCurrent()) {
      assertThat(wrapped.submit(() -> FlagContext.current().variant("checkout")).get(60, TimeUnit.SECONDS))
          .as("each submission carries its own context").isEqualTo("v1");
    }

    runnable.get(60, TimeUnit.SECONDS);
    assertThat(runnableWithResult.get(60, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(executed.get()).isEqualTo("v2");
    assertThat(callable.get(60, TimeUnit.SECONDS)).isEqualTo("on");
    assertThat(all.get(0).get()).isEqualTo("v2");
    assertThat(all.get(1).get()).isEqualTo("on");
    assertThat(any).isEqualTo("v2");
    assertThat(wrapped.submit(() -> FlagContext.current()).get(60, TimeUnit.SECONDS))
        .as("outside a scope tasks run without context").isEqualTo(FlagContext.empty());
    assertThat(poolThreadContext()).isEqualTo(FlagContext.empty());
    wrapped.shutdown();
    assertThat(pool.isShutdown()).isTrue();
  }

  @Test
  void aWrappedTaskRestoresWhatThePoolThreadHadBefore() throws Exception {
    pool.submit(() -> {
      try (FlagScope scope = V1.makeCurrent()) {
        Runnable check = () -> assertThat(FlagContext.current()).isSameAs(V2);
        V2.wrap(check).run();
        assertThat(FlagContext.current()).isSameAs(V1);
      }
    }).get(60, TimeUnit.SECONDS);
  }

  private FlagContext poolThreadContext() throws Exception {
    return pool.submit(FlagContext::current).get(60, TimeUnit.SECONDS);
  }

  @Test
  void aShadowHasTheSameDecisionsButNeverEqualsTheContextUsersSee() {
    FlagContext shadow = V2.asShadow();

    assertThat(shadow.isShadow()).isTrue();
    assertThat(V2.isShadow()).as("the original is unchanged").isFalse();
    assertThat(shadow.variants()).isEqualTo(V2.variants());
    assertThat(shadow).isNotEqualTo(V2).isEqualTo(V2.toBuilder().shadow(true).build());
    assertThat(shadow.hashCode()).isEqualTo(V2.toBuilder().shadow(true).build().hashCode());
    assertThat(shadow.asShadow()).isSameAs(shadow);
    assertThat(shadow.toBuilder().build().isShadow()).as("a derived copy stays a shadow").isTrue();
    assertThat(shadow.toBuilder().shadow(false).build()).isEqualTo(V2);
    assertThat(shadow.toString()).endsWith("(shadow)");
    assertThat(FlagContext.empty().isShadow()).isFalse();
    try (FlagScope ignored = shadow.makeCurrent()) {
      assertThat(FlagContext.current().isShadow()).isTrue();
    }
    assertThat(FlagContext.current().isShadow()).isFalse();
  }
}
