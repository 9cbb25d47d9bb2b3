package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static dev.flagroute.support.TestRoutes.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.FlagScope;
import dev.flagroute.context.Source;
import dev.flagroute.evaluation.RoutingFlagsProvider;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.guard.GuardState;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.support.MutableClock;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The rollout guard through the router: trips, holds back, probes and closes, on outcomes only. */
class RolloutGuardRoutingTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final EvaluationContext BETA = new ImmutableContext("beta-7");
  private static final EvaluationContext USER = new ImmutableContext("user-1");
  private static final Duration LATENCY = Duration.ofMillis(3);
  private static final GuardPolicy POLICY = GuardPolicy.builder().failureRatio(0.5).minRequests(10).margin(0.1)
      .window(Duration.ofSeconds(30)).coolDown(Duration.ofSeconds(20)).probeShare(0.5).probeRequests(4).build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RoutingCounters counters = new RoutingCounters();
  private final List<GuardTransition> transitions = new CopyOnWriteArrayList<>();
  private final RoutingListener listener = new RoutingListener() {
    @Override
    public void guardChanged(GuardTransition transition) {
      transitions.add(transition);
      counters.guardChanged(transition);
    }
  };

  private FlagRouter router(OpenFeatureFixture openFeature) {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client()).clock(clock)
        .listener(listener).guard("checkout", POLICY).build();
  }

  /** Routes one request for {@code context} and reports it ended as {@code failed}. */
  private static FlagContext serve(FlagRouter router, EvaluationContext context, boolean failed) {
    FlagContext flags = router.route(Map.of(), GETTER, context);
    router.completed(flags, new RequestOutcome(failed, LATENCY));
    return flags;
  }

  private static void trip(FlagRouter router) {
    for (int i = 0; i < 10; i++) {
      serve(router, USER, false);
      assertThat(serve(router, BETA, true).variant("checkout")).isEqualTo("v2");
    }
  }

  @Test
  void aFailingVariantTripsAndItsRequestsGetTheDefaultWhileTheCacheKeepsTheProvidersDecision() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      trip(router);
      int evaluations = openFeature.evaluations();

      FlagContext held = router.route(Map.of(), GETTER, BETA);

      assertThat(held.decision("checkout")).isEqualTo(new FlagDecision("v1", Source.DEFAULT, FlagDecision.GUARDED));
      assertThat(held.decision("search").variant()).isEqualTo("on");
      assertThat(openFeature.evaluations()).as("a cache hit, guarded after the lookup").isEqualTo(evaluations);
      assertThat(transitions).singleElement().satisfies(t -> {
        assertThat(t.flagKey()).isEqualTo("checkout");
        assertThat(t.variant()).isEqualTo("v2");
        assertThat(t.from()).isEqualTo(GuardState.CLOSED);
        assertThat(t.to()).isEqualTo(GuardState.OPEN);
        assertThat(t.requests()).isEqualTo(10);
        assertThat(t.failureRatio()).isEqualTo(1.0);
        assertThat(t.defaultFailureRatio()).isZero();
      });
      assertThat(router.guardStatus()).singleElement().extracting(GuardStatus::state).isEqualTo(GuardState.OPEN);
    }
  }

  @Test
  void fewRequestsOrAnOutageOfEveryVersionTripNothing() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      for (int i = 0; i < 9; i++) {
        serve(router, BETA, true);
      }
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).as("9 of 10 requests").isEqualTo("v2");
      for (int i = 0; i < 20; i++) {
        serve(router, USER, true);
        serve(router, BETA, true);
      }
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).as("v1 fails as much").isEqualTo("v2");
      assertThat(transitions).isEmpty();
    }
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      for (int i = 0; i < 9; i++) {
        serve(router, BETA, true);
      }
      clock.advance(Duration.ofSeconds(31));
      serve(router, BETA, true);

      assertThat(router.guardStatus()).singleElement().satisfies(status -> {
        assertThat(status.state()).isEqualTo(GuardState.CLOSED);
        assertThat(status.requests()).isEqualTo(1);
        assertThat(status.failures()).isEqualTo(1);
      });
    }
  }

  @Test
  void afterTheCoolDownProbesCloseTheGuardWhenTheVariantIsHealthy() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      trip(router);
      clock.advance(Duration.ofSeconds(19));
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).as("cooling down").isEqualTo("v1");
      clock.advance(Duration.ofSeconds(1));

      List<String> probed = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        probed.add(serve(router, BETA, false).variant("checkout"));
      }

      assertThat(probed.subList(0, 7)).as("every second request probes v2 until 4 probes succeeded")
          .containsExactly("v2", "v1", "v2", "v1", "v2", "v1", "v2");
      assertThat(probed.get(7)).as("closed").isEqualTo("v2");
      assertThat(transitions).extracting(GuardTransition::to)
          .containsExactly(GuardState.OPEN, GuardState.HALF_OPEN, GuardState.CLOSED);
      assertThat(counters.guardTransitions(GuardState.CLOSED)).isEqualTo(1);
    }
  }

  @Test
  void failingProbesOpenTheGuardForAnotherCoolDown() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      trip(router);
      clock.advance(Duration.ofSeconds(20));
      for (int i = 0; i < 8; i++) {
        serve(router, BETA, true);
      }

      assertThat(transitions).extracting(GuardTransition::to)
          .containsExactly(GuardState.OPEN, GuardState.HALF_OPEN, GuardState.OPEN);
      assertThat(transitions.get(2).requests()).isEqualTo(4);
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).isEqualTo("v1");
    }
  }

  @Test
  void anOverrideTokenStillForcesTheTrippedVariantAndItsOutcomesAreNotCounted() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      OverrideTokens tokens = OverrideTokens.builder(SECRET).clock(clock).build();
      FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client()).clock(clock)
          .listener(listener).overrides(tokens).guard("checkout", POLICY).build();
      String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5));
      for (int i = 0; i < 20; i++) {
        FlagContext forced = router.route(Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, USER);
        router.completed(forced, new RequestOutcome(true, LATENCY));
      }
      assertThat(transitions).as("forced requests are not counted").isEmpty();
      trip(router);

      FlagContext forced = router.route(Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, BETA);

      assertThat(forced.decision("checkout")).isEqualTo(
          new FlagDecision("v2", Source.OVERRIDE, FlagRouter.OVERRIDE_REASON));
    }
  }

  @Test
  void inAppReadsAgreeWithTheGuardedDecision() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(new RoutingFlagsProvider(TestRoutes.provider()))) {
      FlagRouter router = router(openFeature);
      trip(router);

      FlagContext held = router.route(Map.of(), GETTER, BETA);
      try (FlagScope ignored = held.makeCurrent()) {
        assertThat(openFeature.client().getStringValue("checkout", "v1", BETA)).isEqualTo("v1");
        assertThat(openFeature.client().getStringDetails("checkout", "v1", BETA).getReason())
            .isEqualTo(FlagDecision.GUARDED);
      }
    }
  }

  @Test
  void theGuardIsConfiguredAtTheEdgeForKnownFlags() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      assertThatThrownBy(() -> FlagRouter.builder(ROUTES).guard("payments", POLICY))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no route has it")
          .hasMessageContaining("[checkout, search]");
      assertThatThrownBy(() -> FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).guard("checkout", POLICY).build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("edge only");
      FlagRouter unguarded = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client()).build();
      unguarded.completed(unguarded.route(Map.of(), GETTER, BETA), new RequestOutcome(true, LATENCY));
      assertThat(unguarded.guardStatus()).isEmpty();
      FlagRouter guarded = router(openFeature);
      assertThat(guarded.guardStatus()).singleElement().isEqualTo(
          new GuardStatus("checkout", "v2", GuardState.CLOSED, clock.instant(), 0, 0));
    }
  }
}
