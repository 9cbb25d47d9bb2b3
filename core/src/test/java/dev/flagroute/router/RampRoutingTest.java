package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.support.MutableClock;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestProviders;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Guarded ramps and verdicts through the router: the share widens on schedule and rolls back on WORSE. */
class RampRoutingTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
  private static final String ROUTES = """
      routes:
        - flag: checkout
          service: reviews
          default: v1
          variants:
            v1: v1
            v2: {version: v2, ramp: {steps: [10, 50, 100], interval: 10m, start: '2026-01-05T09:00:00Z'}}
        - flag: search
          service: search
          default: off
          variants: {off: v1, on: v2}
      """;
  private static final VerdictPolicy QUICK = VerdictPolicy.builder().minRequests(200).calibrationRequests(100).build();
  private static final int USERS = 2_000;

  private final MutableClock clock = new MutableClock(START.minusSeconds(60));
  private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();
  private final List<RampStatus> ramps = new CopyOnWriteArrayList<>();
  private final RoutingListener listener = new RoutingListener() {
    @Override
    public void verdictChanged(Verdict verdict) {
      verdicts.add(verdict);
    }

    @Override
    public void rampChanged(RampStatus status) {
      ramps.add(status);
    }
  };
  private final FlagRoutes routes = FlagRoutesFile.parse(ROUTES, "routes.yaml");

  /** A provider that decides v2 (and search on) for everyone: the ramp alone sets the share. */
  private static OpenFeatureFixture everyoneOnTheVariant() {
    return OpenFeatureFixture.ready(new TestProviders.StringProvider((key, ctx) ->
        TestProviders.answer(key.equals("checkout") ? "v2" : "on")));
  }

  private FlagRouter.Builder edge(OpenFeatureFixture openFeature) {
    return FlagRouter.builder(routes).mode(RoutingMode.EDGE).client(openFeature.client()).clock(clock)
        .listener(listener);
  }

  private static FlagContext route(FlagRouter router, String user) {
    return router.route(Map.of(), GETTER, new ImmutableContext(user));
  }

  /** The users who get v2 now. */
  private static Set<String> onVariant(FlagRouter router) {
    Set<String> users = new HashSet<>();
    for (int i = 0; i < USERS; i++) {
      FlagContext flags = route(router, "user-" + i);
      if (flags.variant("checkout").equals("v2")) {
        users.add("user-" + i);
      } else {
        assertThat(flags.decision("checkout")).isEqualTo(new FlagDecision("v1", Source.DEFAULT, FlagDecision.RAMP));
      }
      assertThat(flags.variant("search")).isEqualTo("on");
    }
    return users;
  }

  @Test
  void theShareWidensOnScheduleAndKeepsEveryUserItHas() {
    try (OpenFeatureFixture openFeature = everyoneOnTheVariant()) {
      FlagRouter router = edge(openFeature).build();
      assertThat(onVariant(router)).isEmpty();
      assertThat(router.ramps()).containsExactly(new RampStatus("checkout", "v2", RampState.PENDING, -1, 0, START));

      clock.advance(Duration.ofSeconds(60));
      Set<String> tenPercent = onVariant(router);
      assertThat(tenPercent.size()).isBetween(USERS * 7 / 100, USERS * 13 / 100);

      clock.advance(Duration.ofMinutes(10));
      Set<String> half = onVariant(router);
      assertThat(half.size()).isBetween(USERS * 45 / 100, USERS * 55 / 100);
      assertThat(half).containsAll(tenPercent);

      clock.advance(Duration.ofMinutes(10));
      assertThat(onVariant(router)).hasSize(USERS);
      assertThat(ramps).extracting(RampStatus::state, RampStatus::percent).containsExactly(
          tuple(RampState.RAMPING, 10.0),
          tuple(RampState.RAMPING, 50.0),
          tuple(RampState.COMPLETE, 100.0));
      assertThat(router.ramps().get(0).since()).isEqualTo(START.plus(Duration.ofMinutes(20)));
      assertThat(router.verdicts()).extracting(Verdict::variant, Verdict::state)
          .containsExactly(tuple("v2", VerdictState.NOT_ENOUGH_DATA));
    }
  }

  @Test
  void aWorseVariantRollsTheRampBackForEveryone() {
    try (OpenFeatureFixture openFeature = everyoneOnTheVariant()) {
      FlagRouter router = edge(openFeature).verdicts("checkout", QUICK).build();
      clock.advance(Duration.ofMinutes(11)); // 50%
      int served = 0;
      for (int i = 0; served < 5_000 && !hasRolledBack(router); i++) {
        FlagContext flags = route(router, "user-" + (i % USERS));
        boolean variant = flags.variant("checkout").equals("v2");
        router.completed(flags, new RequestOutcome(variant && i % 3 == 0, Duration.ofMillis(20 + i % 17)));
        served++;
      }
      assertThat(hasRolledBack(router)).isTrue();
      assertThat(router.verdicts().get(0).state()).isEqualTo(VerdictState.WORSE);
      assertThat(router.verdicts().get(0).errors().state()).isEqualTo(VerdictState.WORSE);
      assertThat(verdicts).extracting(Verdict::state).endsWith(VerdictState.WORSE);
      assertThat(ramps).last().satisfies(status -> {
        assertThat(status.state()).isEqualTo(RampState.ROLLED_BACK);
        assertThat(status.percent()).isZero();
      });
      assertThat(onVariant(router)).isEmpty();

      clock.advance(Duration.ofHours(1)); // later steps never bring it back
      assertThat(onVariant(router)).isEmpty();
      assertThat(router.ramps().get(0).state()).isEqualTo(RampState.ROLLED_BACK);
    }
  }

  @Test
  void aHealthyVariantKeepsRamping() {
    try (OpenFeatureFixture openFeature = everyoneOnTheVariant()) {
      FlagRouter router = edge(openFeature).verdicts("checkout", QUICK).build();
      clock.advance(Duration.ofMinutes(11));
      for (int i = 0; i < 4_000; i++) {
        FlagContext flags = route(router, "user-" + (i % USERS));
        router.completed(flags, new RequestOutcome(i % 50 == 0, Duration.ofMillis(20 + i % 17)));
      }
      assertThat(router.verdicts().get(0).state()).isEqualTo(VerdictState.NO_DIFFERENCE);
      clock.advance(Duration.ofMinutes(10));
      assertThat(router.ramps().get(0).state()).isEqualTo(RampState.COMPLETE);
      assertThat(onVariant(router)).hasSize(USERS);
    }
  }

  @Test
  void holdBackWorseGivesAWorseVariantsRequestsTheDefault() {
    try (OpenFeatureFixture openFeature = everyoneOnTheVariant()) {
      FlagRouter router = edge(openFeature)
          .verdicts("search", VerdictPolicy.builder().minRequests(200).calibrationRequests(100).holdBackWorse(true)
              .build())
          .build();
      FlagContext plain = route(router, "anyone");
      assertThat(plain.decision("search").source()).isEqualTo(Source.EVALUATED);
      FlagContext off = FlagContext.builder(routes).evaluated("search", "off", "STATIC").fillDefaults("STATIC").build();
      for (int i = 0; i < 1_000; i++) {
        router.completed(off, new RequestOutcome(false, Duration.ofMillis(10)));
        router.completed(plain, new RequestOutcome(i % 4 == 0, Duration.ofMillis(10)));
      }
      assertThat(router.verdicts()).extracting(Verdict::flagKey, Verdict::state).contains(
          tuple("search", VerdictState.WORSE));
      assertThat(route(router, "anyone").decision("search"))
          .isEqualTo(new FlagDecision("off", Source.DEFAULT, FlagDecision.GUARDED));
    }
  }

  @Test
  void overridesAndShadowsAreNotCounted() {
    try (OpenFeatureFixture openFeature = everyoneOnTheVariant()) {
      FlagRouter router = edge(openFeature).verdicts("search", QUICK).build();
      FlagContext forced = FlagContext.builder(routes).put("search", new FlagDecision("on", Source.OVERRIDE, "OVERRIDE"))
          .fillDefaults("STATIC").build();
      FlagContext shadow = route(router, "anyone").asShadow();
      for (int i = 0; i < 500; i++) {
        router.completed(forced, new RequestOutcome(true, Duration.ofMillis(10)));
        router.completed(shadow, new RequestOutcome(true, Duration.ofMillis(10)));
      }
      Verdict search = router.verdicts().stream().filter(v -> v.flagKey().equals("search")).findFirst().orElseThrow();
      assertThat(search.errors().variantRequests()).isZero();
    }
  }

  @Test
  void relaysNeitherJudgeNorRamp() {
    assertThatThrownBy(() -> FlagRouter.builder(routes).mode(RoutingMode.RELAY).verdicts("checkout", QUICK).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("edge only");
    assertThatThrownBy(() -> FlagRouter.builder(routes).verdicts("nope", QUICK))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot judge flag 'nope'");
    FlagRouter relay = FlagRouter.builder(routes).mode(RoutingMode.RELAY).clock(clock).build();
    FlagContext relayed = relay.route(Map.of("x-flag-checkout", "v2"), GETTER);
    assertThat(relayed.variant("checkout")).isEqualTo("v2");
    assertThat(relay.ramps()).isEmpty();
    assertThat(relay.verdicts()).isEmpty();
  }

  private static boolean hasRolledBack(FlagRouter router) {
    return router.ramps().get(0).state() == RampState.ROLLED_BACK;
  }
}
