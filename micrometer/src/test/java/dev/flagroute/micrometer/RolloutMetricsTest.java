package dev.flagroute.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Ramp;
import dev.flagroute.verdict.VerdictPolicy;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A ramped canary through a real edge router: the gauges show the verdict and the ramp from
 * start-up, follow the schedule, and the counters count each change once, up to the roll-back.
 */
class RolloutMetricsTest {
  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
  private static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
      .ramp("v2", Ramp.of(START, Duration.ofMinutes(10), 10, 50, 100)).build());

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final SteppedClock clock = new SteppedClock(START.minusSeconds(60));

  @Test
  void gaugesFollowTheRampAndTheVerdictAndCountersCountEachChange() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(Map.of("checkout", Flag.<String>builder().variant("v1", "v1")
        .variant("v2", "v2").defaultVariant("v1").contextEvaluator((flag, context) -> "v2").build())));
    FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(api.getClient()).clock(clock)
        .listener(new VariantHealthMetrics(registry))
        .verdicts("checkout", VerdictPolicy.builder().minRequests(100).calibrationRequests(100).build()).build();
    try {
      new RolloutMetrics(edge).bindTo(registry);
      assertThat(gauge(RolloutMetrics.RAMP_STATE)).as("pending, from start-up").isEqualTo(0);
      assertThat(gauge(RolloutMetrics.RAMP_SHARE)).isEqualTo(0);
      assertThat(gauge(RolloutMetrics.VERDICT_STATE)).as("not enough data").isEqualTo(0);

      clock.advance(Duration.ofMinutes(11));
      assertThat(gauge(RolloutMetrics.RAMP_STATE)).as("ramping").isEqualTo(1);
      assertThat(gauge(RolloutMetrics.RAMP_SHARE)).as("the second step").isEqualTo(0.5);

      int held = 0;
      for (int i = 0; i < 2_000; i++) {
        FlagContext flags = edge.route(Map.<String, String>of(), HeaderGetter.forMap(),
            new ImmutableContext("user-" + i));
        boolean canary = flags.variant("checkout").equals("v2");
        held += FlagDecision.RAMP.equals(flags.decision("checkout").reason()) ? 1 : 0;
        edge.completed(flags, canary ? RequestOutcome.failure(Duration.ofMillis(5))
            : RequestOutcome.success(Duration.ofMillis(5)));
      }

      assertThat(gauge(RolloutMetrics.VERDICT_STATE)).as("worse").isEqualTo(2);
      assertThat(gauge(RolloutMetrics.RAMP_STATE)).as("rolled back").isEqualTo(3);
      assertThat(gauge(RolloutMetrics.RAMP_SHARE)).isEqualTo(0);
      assertThat(counter(VariantHealthMetrics.VERDICT_TRANSITIONS, "worse")).isEqualTo(1);
      assertThat(counter(VariantHealthMetrics.RAMP_TRANSITIONS, "ramping")).as("one new step").isEqualTo(1);
      assertThat(counter(VariantHealthMetrics.RAMP_TRANSITIONS, "rolled_back")).isEqualTo(1);
      assertThat(held).as("users outside the share, then everyone after the roll-back").isGreaterThan(1_000);
      assertThat(registry.get(VariantHealthMetrics.RAMP_HELD).tags("flag", "checkout").counter().count())
          .isEqualTo(held);

      clock.advance(Duration.ofHours(1));
      assertThat(gauge(RolloutMetrics.RAMP_STATE)).as("a roll-back holds past the last step").isEqualTo(3);
    } finally {
      api.shutdown();
    }
  }

  @Test
  void aRouterWithoutVerdictsOrRampsGivesNoSeries() {
    FlagRoutes plain = FlagRoutes.of(FlagRoute.builder("search").service("search").variant("off", "v1")
        .variant("on", "v2").defaultVariant("off").build());
    FlagRouter relay = FlagRouter.builder(plain).mode(RoutingMode.RELAY).build();

    new RolloutMetrics(relay).bindTo(registry);

    assertThat(registry.getMeters()).isEmpty();
  }

  private double gauge(String name) {
    return registry.get(name).tags("flag", "checkout", "variant", "v2").gauge().value();
  }

  private double counter(String name, String state) {
    return registry.get(name).tags("flag", "checkout", "variant", "v2", "state", state).counter().count();
  }

  /** A clock that moves only when told. */
  static final class SteppedClock extends Clock {
    private volatile Instant now;

    SteppedClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
