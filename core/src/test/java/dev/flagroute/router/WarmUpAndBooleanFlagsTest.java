package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.evaluation.WarmUpReport;
import dev.flagroute.evaluation.WarmUpReport.Kind;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.RecordingListener;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmUpAndBooleanFlagsTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();

  private static FlagRoute route(String key, String... variants) {
    FlagRoute.Builder route = FlagRoute.builder(key).service(key);
    for (String variant : variants) {
      route.variant(variant, "v-" + variant);
    }
    return route.defaultVariant(variants[0]).build();
  }

  private static final FlagRoute CHECKOUT = route("checkout", "v1", "v2");
  private static final FlagRoute DARK_MODE = route("dark-mode", "false", "true");
  private static final FlagRoute MISSING = route("missing", "a", "b");
  private static final FlagRoute NUMBER = route("number", "1", "2");
  private static final FlagRoute SURPRISE = route("surprise", "old", "new");

  private static InMemoryProvider provider() {
    return new InMemoryProvider(Map.of(
        "checkout", Flag.<String>builder().variant("v1", "v1").variant("v2", "v2").defaultVariant("v2").build(),
        "dark-mode", Flag.<Boolean>builder().variant("on", true).variant("off", false).defaultVariant("off")
            .contextEvaluator((flag, ctx) -> "night".equals(ctx.getTargetingKey()) ? Boolean.TRUE : null).build(),
        "number", Flag.<Integer>builder().variant("one", 1).defaultVariant("one").build(),
        "surprise", Flag.<String>builder().variant("x", "newest").defaultVariant("x").build()));
  }

  @Test
  void theWarmUpEvaluatesEveryFlagOnceAndNamesEachDisagreement() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter edge = FlagRouter.builder(FlagRoutes.of(CHECKOUT, DARK_MODE, MISSING, NUMBER, SURPRISE))
          .mode(RoutingMode.EDGE).client(openFeature.client()).build();

      WarmUpReport report = edge.warmUp();

      assertThat(report.evaluated()).isEqualTo(5);
      assertThat(report.agrees()).isFalse();
      assertThat(report.problems()).extracting(WarmUpReport.Problem::flagKey, WarmUpReport.Problem::kind)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("missing", Kind.FLAG_NOT_FOUND),
              org.assertj.core.groups.Tuple.tuple("number", Kind.TYPE_MISMATCH),
              org.assertj.core.groups.Tuple.tuple("surprise", Kind.UNLISTED_VARIANT));
      assertThat(report.problems().get(1).detail()).contains("routing flags must be string flags, or boolean flags");
      assertThat(report.problems().get(2).detail()).contains("'newest'");
      assertThat(openFeature.evaluations()).as("string flags evaluated by the warm-up").isEqualTo(4);
    }
  }

  @Test
  void aRouterThatAgreesWithItsProviderReportsNothing() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter edge = FlagRouter.builder(FlagRoutes.of(CHECKOUT, DARK_MODE)).mode(RoutingMode.EDGE)
          .client(openFeature.client()).build();
      assertThat(edge.warmUp()).isEqualTo(new WarmUpReport(2, java.util.List.of()));
      FlagRouter relay = FlagRouter.builder(FlagRoutes.of(CHECKOUT)).mode(RoutingMode.RELAY).build();
      assertThat(relay.warmUp().evaluated()).isZero();
    }
  }

  @Test
  void booleanFlagsRouteWithTrueAndFalseAsVariants() {
    RecordingListener listener = new RecordingListener();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter edge = FlagRouter.builder(FlagRoutes.of(CHECKOUT, DARK_MODE)).mode(RoutingMode.EDGE)
          .client(openFeature.client()).listener(listener).build();

      FlagContext night = edge.route(Map.of(), GETTER, new ImmutableContext("night"));
      FlagContext day = edge.route(Map.of(), GETTER, new ImmutableContext("day"));

      assertThat(night.variant("dark-mode")).isEqualTo("true");
      assertThat(day.variant("dark-mode")).isEqualTo("false");
      assertThat(listener.events()).noneMatch(event -> event.startsWith("failed"));
      Map<String, String> stamped = new java.util.HashMap<>();
      edge.codec().inject(night, stamped, Map::put);
      assertThat(stamped).containsEntry("x-flag-dark-mode", "true");
    }
  }

  @Test
  void aTypeMismatchSaysWhichTypesRoute() {
    RecordingListener listener = new RecordingListener();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider())) {
      FlagRouter edge = FlagRouter.builder(FlagRoutes.of(NUMBER)).mode(RoutingMode.EDGE)
          .client(openFeature.client()).listener(listener).build();
      assertThat(edge.route(Map.of(), GETTER).variant("number")).isEqualTo("1");
      assertThat(listener.events()).contains("failed number " + EvaluationFailure.TYPE_MISMATCH);
    }
  }
}
