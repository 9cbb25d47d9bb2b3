package dev.flagroute.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.direct.VersionAddresses;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.direct.VersionTarget;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MicrometerRoutingListenerTest {
  static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build());

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MicrometerRoutingListener listener = new MicrometerRoutingListener(registry);

  @Test
  void countsEachDecisionByFlagVariantAndSource() {
    listener.decided(checkout("v2"));
    listener.decided(checkout("v2"));
    listener.decided(FlagContext.builder(ROUTES).evaluated("checkout", "v1", "STATIC").build());

    assertThat(registry.get("flagroute.decisions").tags("flag", "checkout", "variant", "v2", "source", "relayed")
        .counter().count()).isEqualTo(2);
    assertThat(registry.get("flagroute.decisions").tags("flag", "checkout", "variant", "v1", "source", "evaluated")
        .counter().count()).isEqualTo(1);
  }

  @Test
  void routesGivenToARunningRouterAreCountedByOutcome() {
    FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).listener(listener).build();

    relay.reload(ROUTES, "same routes");
    relay.reload("broken.yaml", () -> {
      throw new IllegalArgumentException("not YAML");
    });

    assertThat(registry.get("flagroute.routes.changes").tag("outcome", "accepted").counter().count()).isEqualTo(1);
    assertThat(registry.get("flagroute.routes.changes").tag("outcome", "refused").counter().count()).isEqualTo(1);
  }

  @Test
  void droppedHeaderNamesNeverBecomeTags() {
    for (int i = 0; i < 50; i++) {
      listener.headerDropped("x-flag-attacker-" + i, DropReason.UNKNOWN_FLAG);
    }

    assertThat(registry.get("flagroute.headers.dropped").tag("reason", "unknown_flag").counter().count())
        .isEqualTo(50);
    assertThat(registry.getMeters()).flatMap(meter -> meter.getId().getTags())
        .noneSatisfy(tag -> assertThat(tag.getValue()).startsWith("x-flag-attacker"));
  }

  @Test
  void countsEachFallbackToTheStableVersionByServiceAndVersion() {
    VersionRouting routing = VersionRouting.of(ROUTES, VersionAddresses.defaults(), listener);
    VersionTarget v2 = routing.target("reviews", checkout("v2")).orElseThrow();

    routing.fallBack(v2, new UnknownHostException("reviews-v2"));
    routing.fallBack(v2, new ConnectException("Connection refused"));

    assertThat(registry.get(MicrometerRoutingListener.VERSION_FALLBACKS).tags("service", "reviews", "version", "v2")
        .counter().count()).isEqualTo(2);
  }

  @Test
  void countsEachStuckEvaluation() {
    listener.evaluationStuck(1);
    listener.evaluationStuck(2);

    assertThat(registry.get(MicrometerRoutingListener.STUCK).counter().count()).isEqualTo(2);
    assertThat(registry.get(MicrometerRoutingListener.STUCK).counter().getId().getTags()).isEmpty();
  }

  @Test
  void countsEachCallKeptFromLeavingTheMeshWithoutTaggingTheHost() {
    listener.egressBlocked("api.partner.example");
    listener.egressBlocked("other.example");

    assertThat(registry.get(MicrometerRoutingListener.EGRESS_BLOCKED).counter().count()).isEqualTo(2);
    assertThat(registry.get(MicrometerRoutingListener.EGRESS_BLOCKED).counter().getId().getTags()).isEmpty();
  }

  /**
   * A router with a deadline whose provider hangs: once its clock (advanced by the test, so nothing
   * waits for a timing threshold) is past the stuck threshold, the next request finds the hung
   * evaluation stuck, and the meter counts it once.
   */
  @Test
  void countsTheEvaluationsARealRouterTakesAsStuck() throws InterruptedException {
    CountDownLatch forever = new CountDownLatch(1);
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(Map.of("checkout", Flag.<String>builder().variant("v1", "v1")
        .variant("v2", "v2").defaultVariant("v1").contextEvaluator((flag, context) -> {
          if (context.getTargetingKey().startsWith("hung-")) {
            awaitQuietly(forever);
          }
          return "v2";
        }).build())));
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-06-01T12:00:00Z"));
    Clock clock = new Clock() {
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
        return now.get();
      }
    };
    FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(api.getClient())
        .deadline(Duration.ofMillis(20)).clock(clock).listener(listener).build();
    try {
      assertThat(route(router, "hung-1").reason()).isEqualTo("DEADLINE_EXCEEDED");
      assertThat(registry.find(MicrometerRoutingListener.STUCK).counter()).as("not stuck yet").isNull();

      now.set(now.get().plus(Duration.ofMinutes(1)));
      route(router, "user-2");
      route(router, "user-3");

      assertThat(registry.get(MicrometerRoutingListener.STUCK).counter().count()).isEqualTo(1);
    } finally {
      forever.countDown();
      api.shutdown();
    }
  }

  private static FlagDecision route(FlagRouter router, String user) {
    return router.route(Map.<String, String>of(), HeaderGetter.forMap(), new ImmutableContext(user))
        .decision("checkout");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void seriesAreBoundedByTheRoutes() {
    for (int i = 0; i < 100; i++) {
      listener.decided(checkout(i % 2 == 0 ? "v1" : "v2"));
    }

    long decisionSeries = registry.getMeters().stream().map(Meter::getId)
        .filter(id -> id.getName().equals("flagroute.decisions")).count();
    assertThat(decisionSeries).isEqualTo(2 * 4);
  }

  private static FlagContext checkout(String variant) {
    return FlagContext.builder(ROUTES).relayed("checkout", variant).build();
  }
}
