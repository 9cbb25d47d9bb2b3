package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EdgeDecisionPropertiesTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final List<String> VALUES = List.of("a", "b", "c", "d", "zz");

  @Property(tries = 150)
  void theDecisionIsADirectOpenFeatureEvaluationWithOrWithoutTheCache(@ForAll("routeSpecs") List<RouteSpec> specs,
      @ForAll("contexts") List<EvaluationContext> contexts) {
    FlagRoutes routes = FlagRoutes.of(specs.stream().map(RouteSpec::route).toList());
    Map<String, Flag<?>> flags = new HashMap<>();
    specs.forEach(spec -> spec.flag().ifPresent(flag -> flags.put(spec.key, flag)));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(new InMemoryProvider(flags))) {
      FlagRouter cached = FlagRouter.builder(routes).mode(RoutingMode.EDGE).client(openFeature.client())
          .cacheKeyAttributes("plan").build();
      FlagRouter uncached = FlagRouter.builder(routes).mode(RoutingMode.EDGE).client(openFeature.client())
          .noCache().build();

      for (EvaluationContext context : contexts) {
        FlagContext expected = direct(openFeature.client(), routes, context);
        assertThat(cached.route(Map.of(), GETTER, context)).as("cached, %s", context).isEqualTo(expected);
        assertThat(uncached.route(Map.of(), GETTER, context)).as("uncached, %s", context).isEqualTo(expected);
      }
    }
  }

  @Property(tries = 300)
  void inboundHeadersWithoutAValidTokenNeverChangeAnEdgeDecision(@ForAll("spoofs") Map<String, String> headers,
      @ForAll("codecs") HeaderCodec codec, @ForAll("contexts") List<EvaluationContext> contexts) {
    RoutingCounters counters = new RoutingCounters();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.EDGE).codec(codec)
          .client(openFeature.client()).overrides(OverrideTokens.builder(TestRoutes.SECRET).build())
          .listener(counters).build();

      for (EvaluationContext context : contexts) {
        FlagContext spoofed = router.route(headers, GETTER, context);
        assertThat(spoofed).isEqualTo(router.route(Map.of(), GETTER, context));
        spoofed.forEach((route, decision) -> assertThat(decision.source()).isEqualTo(Source.EVALUATED));
      }
      assertThat(counters.overridesAccepted()).isZero();
    }
  }

  /** What a direct OpenFeature evaluation of every route decides, by the documented rules. */
  private static FlagContext direct(Client client, FlagRoutes routes, EvaluationContext context) {
    FlagContext.Builder builder = FlagContext.builder(routes);
    for (FlagRoute route : routes) {
      FlagEvaluationDetails<String> details = client.getStringDetails(route.key(), route.defaultVariant(), context);
      if (details.getErrorCode() != null) {
        builder.put(route.key(), new FlagDecision(route.defaultVariant(), Source.DEFAULT, "ERROR_" + details.getErrorCode()));
      } else if (!route.hasVariant(details.getValue())) {
        builder.put(route.key(), new FlagDecision(route.defaultVariant(), Source.DEFAULT, "FOREIGN_VARIANT"));
      } else {
        builder.put(route.key(), new FlagDecision(details.getValue(), Source.EVALUATED, details.getReason()));
      }
    }
    return builder.build();
  }

  enum Kind { MISSING, STATIC, TARGETED, BOOLEAN, DISABLED }

  /** One routing flag and how the provider defines it. */
  record RouteSpec(String key, List<String> variants, int defaultIndex, Kind kind, String value, int salt) {
    FlagRoute route() {
      // one service, so the default variant of every flag maps to its stable version, v0
      FlagRoute.Builder builder = FlagRoute.builder(key).service("svc");
      int defaults = defaultIndex % variants.size();
      for (int i = 0; i < variants.size(); i++) {
        builder.variant(variants.get(i), "v" + Math.floorMod(i - defaults, variants.size()));
      }
      return builder.defaultVariant(variants.get(defaults)).build();
    }

    Optional<Flag<?>> flag() {
      Flag<?> flag = switch (kind) {
        case MISSING -> null;
        case STATIC -> Flag.<String>builder().variant(value, value).defaultVariant(value).build();
        case DISABLED -> Flag.<String>builder().variant(value, value).defaultVariant(value).disabled(true).build();
        case BOOLEAN -> Flag.<Boolean>builder().variant("on", true).defaultVariant("on").build();
        case TARGETED -> targeted();
      };
      return Optional.ofNullable(flag);
    }

    private Flag<String> targeted() {
      Flag.FlagBuilder<String> builder = Flag.<String>builder();
      VALUES.forEach(v -> builder.variant(v, v));
      return builder.defaultVariant(value).contextEvaluator((flag, ctx) -> {
        Value plan = ctx.getValue("plan");
        int pick = Math.floorMod(Objects.hash(ctx.getTargetingKey(), plan == null ? null : plan.asString()) + salt, 6);
        return pick == 5 ? null : VALUES.get(pick);
      }).build();
    }
  }

  @Provide
  Arbitrary<List<RouteSpec>> routeSpecs() {
    Arbitrary<List<String>> variants = Arbitraries.of("a", "b", "c", "d").set().ofMinSize(1).ofMaxSize(4)
        .map((Set<String> set) -> set.stream().sorted().toList());
    Arbitrary<RouteSpec> spec = Combinators.combine(variants, Arbitraries.integers().between(0, 3),
        Arbitraries.of(Kind.class), Arbitraries.of(VALUES), Arbitraries.integers())
        .as((v, d, kind, value, salt) -> new RouteSpec(null, v, d, kind, value, salt));
    return spec.list().ofMinSize(1).ofMaxSize(4).map(list -> {
      List<RouteSpec> keyed = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        RouteSpec s = list.get(i);
        keyed.add(new RouteSpec("flag-" + i, s.variants, s.defaultIndex, s.kind, s.value, s.salt));
      }
      return keyed;
    });
  }

  @Provide
  Arbitrary<List<EvaluationContext>> contexts() {
    Arbitrary<String> targetingKeys = Arbitraries.of("u1", "u2", "beta-3", "").injectNull(0.1);
    Arbitrary<String> plans = Arbitraries.of("free", "pro").injectNull(0.3);
    Arbitrary<Integer> noise = Arbitraries.integers().between(0, 1000);
    return Combinators.combine(targetingKeys, plans, noise).as((key, plan, n) -> {
      Map<String, Value> attributes = new HashMap<>();
      attributes.put("noise", new Value(n));
      if (plan != null) {
        attributes.put("plan", new Value(plan));
      }
      return (EvaluationContext) new ImmutableContext(key, attributes);
    }).list().ofMinSize(1).ofMaxSize(12);
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @Provide
  Arbitrary<Map<String, String>> spoofs() {
    Arbitrary<String> names = Arbitraries.oneOf(
        Arbitraries.of("x-flag-checkout", "x-flag-search", "x-flag-admin", "x-flags", "baggage",
            FlagRouter.DEFAULT_OVERRIDE_HEADER, "X-Flag-Checkout", "x-flag-"),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20));
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.of("v1", "v2", "on", "off", "checkout=v2,search=off", "flag.checkout=v2,flag.search=off",
            "fr1:9999999999:checkout=v2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", " v2 ", "v2,v1"),
        Arbitraries.strings().ofMaxLength(300));
    return Arbitraries.maps(names, values).ofMaxSize(6);
  }
}
