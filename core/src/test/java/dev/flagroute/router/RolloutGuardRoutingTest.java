package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static dev.flagroute.support.TestRoutes.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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

/**
 * The rollout guard through the router: trips, holds back, probes and closes on the outcomes of
 * distinct users; operators force variants off, on, and reset them. {@code beta-*} users get
 * {@code checkout} v2, {@code user-*} users v1.
 */
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

  /** Routes one request for {@code context} and reports it ended as {@code failed}, seen by its targeting key. */
  private static FlagContext serve(FlagRouter router, EvaluationContext context, boolean failed) {
    FlagContext flags = router.route(Map.of(), GETTER, context);
    router.completed(flags, new RequestOutcome(failed, LATENCY).seenBy(context.getTargetingKey(), "10.0.0.1"));
    return flags;
  }

  private static EvaluationContext beta(int n) {
    return new ImmutableContext("beta-" + n);
  }

  /** Ten distinct v2 users fail, ten v1 users succeed: the minimum of 10 users, 6 of them failing. */
  private static void trip(FlagRouter router) {
    for (int i = 0; i < 10; i++) {
      serve(router, new ImmutableContext("user-" + i), false);
      assertThat(serve(router, beta(i), true).variant("checkout")).isEqualTo("v2");
    }
  }

  @Test
  void aVariantFailingForManyUsersTripsAndItsRequestsGetTheDefaultWhileTheCacheKeepsTheProvidersDecision() {
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
        assertThat(t.users()).isEqualTo(10);
        assertThat(t.failureRatio()).isEqualTo(1.0);
        assertThat(t.defaultFailureRatio()).isZero();
        assertThat(t.cause()).isEqualTo(GuardTransition.Cause.EVIDENCE);
      });
      assertThat(router.guardStatus()).singleElement().extracting(GuardStatus::state).isEqualTo(GuardState.OPEN);
    }
  }

  /** The outside testers' reproduction: one user failing on purpose, however often, trips nothing. */
  @Test
  void oneUserFailingEveryRequestTripsNothing() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      for (int i = 0; i < 500; i++) {
        serve(router, BETA, true);
      }
      for (int i = 0; i < 50; i++) {
        assertThat(serve(router, beta(i), false).variant("checkout")).isEqualTo("v2");
      }

      assertThat(transitions).isEmpty();
      assertThat(router.guardStatus()).singleElement().satisfies(status -> {
        assertThat(status.users()).as("beta-7 is among the 50").isEqualTo(50);
        assertThat(status.failingUsers()).isEqualTo(1);
      });
    }
  }

  @Test
  void fewerFailingUsersThanTheMinimumOrAnOutageOfEveryVersionTripNothing() {
    assertThat(POLICY.minFailingUsers()).isEqualTo(6);
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      for (int i = 0; i < 5; i++) {
        serve(router, beta(i), true);
      }
      for (int i = 5; i < 30; i++) {
        serve(router, beta(i), false);
      }
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).as("5 failing users of 30").isEqualTo("v2");
      for (int i = 0; i < 40; i++) {
        serve(router, new ImmutableContext("user-" + i), true);
        serve(router, beta(100 + i), true);
      }
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).as("v1 fails as much").isEqualTo("v2");
      assertThat(transitions).isEmpty();
    }
  }

  /** Client errors are the client's doing: HTTP 4xx never count, 5xx do. */
  @Test
  void onlyServerSideFailuresCount() {
    assertThat(RequestOutcome.serverFault(404)).isFalse();
    assertThat(RequestOutcome.serverFault(429)).isFalse();
    assertThat(RequestOutcome.serverFault(499)).isFalse();
    assertThat(RequestOutcome.serverFault(500)).isTrue();
    assertThat(RequestOutcome.serverFault(503)).isTrue();
    assertThat(RequestOutcome.serverFault(600)).isFalse();
    assertThat(RequestOutcome.grpcServerFault(13, false)).as("INTERNAL").isTrue();
    assertThat(RequestOutcome.grpcServerFault(14, false)).as("UNAVAILABLE").isTrue();
    assertThat(RequestOutcome.grpcServerFault(2, false)).as("UNKNOWN").isTrue();
    assertThat(RequestOutcome.grpcServerFault(4, false)).as("DEADLINE_EXCEEDED, the server's").isTrue();
    assertThat(RequestOutcome.grpcServerFault(4, true)).as("DEADLINE_EXCEEDED, the client's deadline").isFalse();
    for (int clientCode : new int[] {0, 1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16}) {
      assertThat(RequestOutcome.grpcServerFault(clientCode, false)).as("code %s", clientCode).isFalse();
    }
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      for (int i = 0; i < 40; i++) {
        FlagContext flags = router.route(Map.of(), GETTER, beta(i));
        router.completed(flags, RequestOutcome.ofHttpStatus(400 + i % 30, LATENCY).seenBy("beta-" + i, null));
      }
      assertThat(transitions).isEmpty();
    }
  }

  @Test
  void anonymousRequestsCountByClientAndOutcomesWithoutAUserAsOne() {
    assertThat(RequestOutcome.user("u1", "10.0.0.1")).isEqualTo("key:u1");
    assertThat(RequestOutcome.user("", "10.0.0.1")).isEqualTo("client:10.0.0.1");
    assertThat(RequestOutcome.user(null, "")).isNull();
    assertThat(new RequestOutcome(true, LATENCY, "x".repeat(10_000)).user()).hasSize(RequestOutcome.MAX_USER_CHARS);
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      for (int i = 0; i < 30; i++) {
        router.completed(router.route(Map.of(), GETTER, beta(i)), new RequestOutcome(true, LATENCY));
      }
      assertThat(router.guardStatus()).singleElement().extracting(GuardStatus::users).isEqualTo(1L);
      for (int i = 0; i < 30; i++) {
        router.completed(router.route(Map.of(), GETTER, beta(i)),
            new RequestOutcome(true, LATENCY).seenBy(null, "10.1.0." + i));
      }
      assertThat(transitions).extracting(GuardTransition::to).containsExactly(GuardState.OPEN);
    }
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      for (int i = 0; i < 9; i++) {
        serve(router, beta(i), true);
      }
      clock.advance(Duration.ofSeconds(31));
      serve(router, beta(0), true);

      assertThat(router.guardStatus()).singleElement().satisfies(status -> {
        assertThat(status.state()).isEqualTo(GuardState.CLOSED);
        assertThat(status.users()).isEqualTo(1);
        assertThat(status.failingUsers()).isEqualTo(1);
      });
    }
  }

  @Test
  void afterTheCoolDownProbesSpreadOverUsersCloseTheGuardWhenTheVariantIsHealthy() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      trip(router);
      clock.advance(Duration.ofSeconds(19));
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).as("cooling down").isEqualTo("v1");
      clock.advance(Duration.ofSeconds(1));

      List<Integer> probes = new java.util.ArrayList<>();
      for (int i = 100; i < 200; i++) {
        String first = router.route(Map.of(), GETTER, beta(i)).variant("checkout");
        assertThat(router.route(Map.of(), GETTER, beta(i)).variant("checkout")).as("a user probes or not, per round")
            .isEqualTo(first);
        if (first.equals("v2")) {
          probes.add(i);
        }
      }
      assertThat(probes).as("about half of the 100 users probe").hasSizeBetween(20, 80);

      for (int i = 0; i < 4; i++) {
        assertThat(transitions).hasSize(2);
        serve(router, beta(probes.get(i)), false);
      }
      assertThat(transitions).extracting(GuardTransition::to)
          .containsExactly(GuardState.OPEN, GuardState.HALF_OPEN, GuardState.CLOSED);
      assertThat(counters.guardTransitions(GuardState.CLOSED)).isEqualTo(1);
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).as("closed").isEqualTo("v2");
    }
  }

  @Test
  void failingProbesOfEnoughUsersOpenTheGuardForAnotherCoolDown() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      trip(router);
      clock.advance(Duration.ofSeconds(20));
      for (int i = 100; i < 300 && transitions.size() < 3; i++) {
        serve(router, beta(i), true);
      }

      assertThat(transitions).extracting(GuardTransition::to)
          .containsExactly(GuardState.OPEN, GuardState.HALF_OPEN, GuardState.OPEN);
      assertThat(transitions.get(2).users()).isEqualTo(POLICY.minFailingUsers());
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).isEqualTo("v1");
    }
  }

  /** The outside testers' second reproduction: one user failing every probe cannot keep the guard open. */
  @Test
  void oneUserFailingEveryProbeCannotHoldTheGuardOpen() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      for (int cycle = 0; cycle < 10; cycle++) {
        transitions.clear();
        trip(router);
        clock.advance(Duration.ofSeconds(20));
        for (int i = 100; i < 300 && router.guardStatus().get(0).state() != GuardState.CLOSED; i++) {
          for (int attack = 0; attack < 20; attack++) {
            serve(router, BETA, true);
          }
          serve(router, beta(i), false);
        }
        assertThat(transitions).extracting(GuardTransition::to)
            .containsExactly(GuardState.OPEN, GuardState.HALF_OPEN, GuardState.CLOSED);
        clock.advance(Duration.ofSeconds(31));
      }
    }
  }

  @Test
  void operatorsForceAVariantOffAndBackOnAndResetItsGuard() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);

      GuardStatus off = router.guardOperator().forceOff("checkout", "v2");

      assertThat(off.state()).isEqualTo(GuardState.FORCED_OFF);
      assertThat(router.route(Map.of(), GETTER, BETA).decision("checkout"))
          .isEqualTo(new FlagDecision("v1", Source.DEFAULT, FlagDecision.GUARDED));
      clock.advance(Duration.ofMinutes(10));
      for (int i = 0; i < 30; i++) {
        serve(router, beta(i), false);
      }
      router.guardOperator().reset("CHECKOUT", "v2");
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).as("outcomes and resets keep it off")
          .isEqualTo("v1");

      assertThat(router.guardOperator().forceOn("checkout", "v2").state()).isEqualTo(GuardState.CLOSED);
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).isEqualTo("v2");

      trip(router);
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).isEqualTo("v1");
      GuardStatus reset = router.guardOperator().reset("checkout", "v2");
      assertThat(reset.state()).isEqualTo(GuardState.CLOSED);
      assertThat(reset.users()).isZero();
      assertThat(router.route(Map.of(), GETTER, BETA).variant("checkout")).isEqualTo("v2");

      assertThat(transitions).extracting(GuardTransition::to, GuardTransition::cause).containsExactly(
          tuple(GuardState.FORCED_OFF, GuardTransition.Cause.OPERATOR),
          tuple(GuardState.FORCED_OFF, GuardTransition.Cause.OPERATOR),
          tuple(GuardState.CLOSED, GuardTransition.Cause.OPERATOR),
          tuple(GuardState.OPEN, GuardTransition.Cause.EVIDENCE),
          tuple(GuardState.CLOSED, GuardTransition.Cause.OPERATOR));
      assertThat(counters.guardOperatorActions()).isEqualTo(4);
    }
  }

  @Test
  void operatorsActOnGuardedVariantsOnly() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = router(openFeature);
      assertThatThrownBy(() -> router.guardOperator().forceOff("search", "on"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not guarded")
          .hasMessageContaining("[checkout]");
      assertThatThrownBy(() -> router.guardOperator().forceOff("checkout", "v1"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[v2]");
      FlagRouter unguarded = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client()).build();
      assertThatThrownBy(() -> unguarded.guardOperator().reset("checkout", "v2"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no flag is guarded");
      assertThat(transitions).isEmpty();
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
        router.completed(forced, new RequestOutcome(true, LATENCY).seenBy("user-" + i, null));
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
