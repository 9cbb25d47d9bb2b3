package dev.flagroute.spring.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.spring.TestRoutes;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FlagContextAccessorTest {
  final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

  @Test
  void isRegisteredThroughServiceLoader() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .anySatisfy(accessor -> assertThat(accessor).isInstanceOf(FlagContextAccessor.class));
  }

  @Test
  void aSnapshotCarriesTheFlagsToAPoolThreadAndLeavesNothingBehind() throws Exception {
    FlagContext flags = TestRoutes.checkout("v2");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Runnable task;
      FlagContext[] seen = new FlagContext[1];
      try (FlagScope ignored = flags.makeCurrent()) {
        task = snapshots.captureAll().wrap((Runnable) () -> seen[0] = FlagContext.current());
      }
      pool.submit(task).get(60, TimeUnit.SECONDS);
      assertThat(seen[0]).isEqualTo(flags);
      assertThat(pool.submit(FlagContext::current).get(60, TimeUnit.SECONDS).isEmpty()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  /** A relay's context holding only flags its routes do not define is captured too, not taken for none. */
  @Test
  void aSnapshotCarriesACarriedOnlyContext() throws Exception {
    FlagContext carrying = FlagContext.builder(FlagRoutes.empty()).carry("payment", "v2").build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Runnable task;
      FlagContext[] seen = new FlagContext[1];
      try (FlagScope ignored = carrying.makeCurrent()) {
        task = snapshots.captureAll().wrap((Runnable) () -> seen[0] = FlagContext.current());
      }
      pool.submit(task).get(60, TimeUnit.SECONDS);
      assertThat(seen[0].carried()).containsExactly(Map.entry("payment", "v2"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void settingAndClearingRestoreWhatTheThreadHadBefore() {
    FlagContext outer = TestRoutes.checkout("v1");
    FlagContext inner = TestRoutes.checkout("v2");
    ContextSnapshot captured;
    try (FlagScope ignored = inner.makeCurrent()) {
      captured = snapshots.captureAll();
    }
    try (FlagScope ignored = outer.makeCurrent()) {
      try (ContextSnapshot.Scope scope = captured.setThreadLocals()) {
        assertThat(FlagContext.current()).isEqualTo(inner);
      }
      assertThat(FlagContext.current()).isEqualTo(outer);
    }
    ContextSnapshot empty = ContextSnapshotFactory.builder().clearMissing(true).build().captureAll();
    try (FlagScope ignored = outer.makeCurrent()) {
      try (ContextSnapshot.Scope scope = empty.setThreadLocals()) {
        assertThat(FlagContext.current().isEmpty()).isTrue();
      }
      assertThat(FlagContext.current()).isEqualTo(outer);
    }
    assertThat(FlagContext.current().isEmpty()).isTrue();
  }
}
