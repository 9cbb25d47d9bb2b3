package dev.flagroute.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Per-variant request timers and rollout guard meters, recorded from a real edge router. */
class VariantHealthMetricsTest {
  static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build());

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /**
   * Users get v1 and succeed, beta users get the v2 canary and fail: the guard (counting each user
   * once) trips v2, holds the next beta user on v1, and every request is timed once under the
   * variant it was decided.
   */
  @Test
  void timesEachRequestPerVariantAndRecordsTheGuardTrippingAFailingCanary() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(Map.of("checkout", Flag.<String>builder().variant("v1", "v1")
        .variant("v2", "v2").defaultVariant("v1")
        .contextEvaluator((flag, context) -> context.getTargetingKey().startsWith("beta-") ? "v2" : "v1").build())));
    GuardPolicy policy = GuardPolicy.builder().failureRatio(0.5).minRequests(10).margin(0.1)
        .window(Duration.ofMinutes(10)).coolDown(Duration.ofHours(1)).build();
    FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(api.getClient())
        .listener(new VariantHealthMetrics(registry)).guard("checkout", policy).build();
    try {
      for (int i = 0; i < 20; i++) {
        edge.completed(route(edge, "user-" + i), RequestOutcome.success(Duration.ofMillis(3)).seenBy("user-" + i, null));
        edge.completed(route(edge, "beta-" + i), RequestOutcome.failure(Duration.ofMillis(5)).seenBy("beta-" + i, null));
      }
      FlagDecision held = route(edge, "beta-held").decision("checkout");
      assertThat(held.variant()).isEqualTo("v1");
      assertThat(held.reason()).isEqualTo(FlagDecision.GUARDED);
    } finally {
      api.shutdown();
    }

    Timer usersOnV1 = registry.get(VariantHealthMetrics.REQUESTS)
        .tags("flag", "checkout", "variant", "v1", "version", "v1", "outcome", "success").timer();
    assertThat(usersOnV1.count()).isEqualTo(20);
    assertThat(usersOnV1.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60);
    assertThat(registry.get(VariantHealthMetrics.REQUESTS)
        .tags("flag", "checkout", "variant", "v2", "version", "v2", "outcome", "failure").timer().count())
        .as("the canary's failures until the guard tripped").isGreaterThanOrEqualTo(10);
    assertThat(registry.get(VariantHealthMetrics.REQUESTS).timers().stream().mapToLong(Timer::count).sum())
        .as("each completed request, once").isEqualTo(40);
    assertThat(registry.get(VariantHealthMetrics.GUARD_TRANSITIONS)
        .tags("flag", "checkout", "variant", "v2", "state", "open").counter().count()).isEqualTo(1);
    assertThat(registry.get(VariantHealthMetrics.GUARD_STATE).tags("flag", "checkout", "variant", "v2").gauge()
        .value()).isEqualTo(1);
    assertThat(registry.get(VariantHealthMetrics.GUARD_HELD).tags("flag", "checkout").counter().count())
        .as("every beta user routed after the trip").isGreaterThanOrEqualTo(3);
  }

  private static FlagContext route(FlagRouter router, String user) {
    return router.route(Map.<String, String>of(), HeaderGetter.forMap(), new ImmutableContext(user));
  }
}
