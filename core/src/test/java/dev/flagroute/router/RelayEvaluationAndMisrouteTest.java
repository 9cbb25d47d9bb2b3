package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.ImmutableContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayEvaluationAndMisrouteTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();

  @Test
  void stampedVariantsAreKeptAndMissingFlagsDefaulted() {
    FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).build();

    FlagContext flags = router.route(Map.of("x-flag-checkout", "v2"), GETTER);

    assertThat(flags.decisions()).containsExactly(
        entry("checkout", new FlagDecision("v2", Source.RELAYED, FlagDecision.RELAYED)),
        entry("search", new FlagDecision("off", Source.DEFAULT, FlagDecision.MISSING)));
  }

  @Test
  void missingFlagsAreEvaluatedWhenConfiguredAndStampedOnesNeverReDecided() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).client(openFeature.client())
          .evaluateMissing(true).build();

      FlagContext flags = router.route(Map.of("x-flag-checkout", "v1"), GETTER, new ImmutableContext("beta-7"));

      assertThat(flags.decisions()).containsExactly(
          entry("checkout", new FlagDecision("v1", Source.RELAYED, FlagDecision.RELAYED)),
          entry("search", new FlagDecision("on", Source.EVALUATED, "STATIC")));
      int evaluations = openFeature.evaluations();
      router.route(Map.of("x-flag-checkout", "v1", "x-flag-search", "off"), GETTER, new ImmutableContext("beta-7"));
      assertThat(openFeature.evaluations()).as("nothing missing, nothing evaluated").isEqualTo(evaluations);
    }
  }

  @Test
  void aServiceThatKnowsItsVersionCountsRequestsTheMeshShouldHaveSentElsewhere() {
    RoutingCounters counters = new RoutingCounters();
    FlagRouter reviewsV1 = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).service("reviews", "v1")
        .listener(counters).build();

    reviewsV1.route(Map.of("x-flag-checkout", "v1"), GETTER);
    reviewsV1.route(Map.of(), GETTER);
    reviewsV1.route(Map.of("x-flag-search", "on"), GETTER);
    assertThat(counters.misroutes()).isZero();

    reviewsV1.route(Map.of("x-flag-checkout", "v2"), GETTER);
    assertThat(counters.misroutes()).isEqualTo(1);
  }

  @Test
  void misrouteDetectionLooksOnlyAtRelayedVariants() {
    RoutingCounters counters = new RoutingCounters();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .service("reviews", "v1").listener(counters).build();
      FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).client(openFeature.client())
          .evaluateMissing(true).service("reviews", "v1").listener(counters).build();

      assertThat(edge.route(Map.of(), GETTER, new ImmutableContext("beta-1")).variant("checkout")).isEqualTo("v2");
      assertThat(relay.route(Map.of(), GETTER, new ImmutableContext("beta-1")).variant("checkout")).isEqualTo("v2");
      assertThat(counters.misroutes()).isZero();
    }
  }
}
