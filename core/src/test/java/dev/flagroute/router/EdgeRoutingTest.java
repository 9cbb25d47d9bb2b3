package dev.flagroute.router;

import static dev.flagroute.support.OpenFeatureFixture.eventually;
import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.support.MutableClock;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestProviders;
import dev.flagroute.support.TestProviders.GatedProvider;
import dev.flagroute.support.TestProviders.SlowStartingProvider;
import dev.flagroute.support.TestProviders.StringProvider;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EdgeRoutingTest {
  private static final Map<String, String> NO_HEADERS = Map.of();
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final EvaluationContext BETA = new ImmutableContext("beta-7");
  private static final EvaluationContext USER = new ImmutableContext("user-1");

  private final RoutingCounters counters = new RoutingCounters();

  private FlagRouter.Builder edge(Client client) {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(client).listener(counters).reportForeignHeaders(true);
  }

  private static FlagDecision evaluated(String variant, String reason) {
    return new FlagDecision(variant, Source.EVALUATED, reason);
  }

  private static FlagDecision fallback(String variant, String reason) {
    return new FlagDecision(variant, Source.DEFAULT, reason);
  }

  @Test
  void evaluatesEveryRoutingFlagWithItsVariantSourceAndReason() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature.client()).build();

      assertThat(router.route(NO_HEADERS, GETTER, BETA).decisions()).containsExactly(
          entry("checkout", evaluated("v2", "TARGETING_MATCH")), entry("search", evaluated("on", "STATIC")));
      assertThat(router.route(NO_HEADERS, GETTER, USER).decisions()).containsExactly(
          entry("checkout", evaluated("v1", "DEFAULT")), entry("search", evaluated("on", "STATIC")));
      assertThat(counters.decisions()).isEqualTo(2);
      assertThat(counters.evaluationFailures()).isZero();
    }
  }

  @Test
  void aCacheHitAsksTheProviderNothing() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature.client()).cacheIgnoredAttributes("x").build();

      FlagContext first = router.route(NO_HEADERS, GETTER, BETA);
      FlagContext second = router.route(NO_HEADERS, GETTER, new ImmutableContext("beta-7", Map.of("x", new Value(1))));

      assertThat(second).isEqualTo(first);
      assertThat(openFeature.evaluations()).isEqualTo(2);
    }
  }

  @Test
  void withoutACacheEveryRequestIsEvaluated() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature.client()).noCache().build();

      router.route(NO_HEADERS, GETTER, BETA);
      router.route(NO_HEADERS, GETTER, BETA);

      assertThat(openFeature.evaluations()).isEqualTo(4);
    }
  }

  @Test
  void aConfigurationChangeClearsTheCache() {
    InMemoryProvider provider = TestRoutes.provider();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider)) {
      FlagRouter router = edge(openFeature.client()).build();
      assertThat(router.route(NO_HEADERS, GETTER, BETA).variant("checkout")).isEqualTo("v2");

      provider.updateFlag("checkout", Flag.<String>builder().variant("v1", "v1").defaultVariant("v1").build());

      assertThat(eventually(() -> "v1".equals(router.route(NO_HEADERS, GETTER, BETA).variant("checkout")))).isTrue();
      assertThat(router.route(NO_HEADERS, GETTER, BETA).decision("checkout")).isEqualTo(evaluated("v1", "STATIC"));
    }
  }

  @Test
  void cachedDecisionsExpireAfterTheirTimeToLive() {
    MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature.client()).cache(100, Duration.ofSeconds(10)).clock(clock).build();

      router.route(NO_HEADERS, GETTER, BETA);
      clock.advance(Duration.ofSeconds(9));
      router.route(NO_HEADERS, GETTER, BETA);
      assertThat(openFeature.evaluations()).isEqualTo(2);

      clock.advance(Duration.ofSeconds(2));
      router.route(NO_HEADERS, GETTER, BETA);
      assertThat(openFeature.evaluations()).isEqualTo(4);
    }
  }

  @Test
  void theCacheKeyIsTheTargetingKeyAndEveryAttributeButTheIgnoredOnes() {
    EvaluationContext pro = new ImmutableContext("user-1", Map.of("plan", new Value("pro")));
    EvaluationContext free = new ImmutableContext("user-1", Map.of("plan", new Value("free")));
    EvaluationContext proElsewhere = new ImmutableContext("user-1",
        Map.of("plan", new Value("pro"), "country", new Value("NZ")));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter keyed = edge(openFeature.client()).cacheKeyAttributes("plan").cacheIgnoredAttributes("country")
          .build();
      assertThat(keyed.route(NO_HEADERS, GETTER, pro).variant("checkout")).isEqualTo("v2");
      assertThat(keyed.route(NO_HEADERS, GETTER, free).variant("checkout")).isEqualTo("v1");
      int evaluations = openFeature.evaluations();
      assertThat(keyed.route(NO_HEADERS, GETTER, proElsewhere).variant("checkout")).isEqualTo("v2");
      assertThat(openFeature.evaluations()).as("country is declared irrelevant").isEqualTo(evaluations);

      FlagRouter undeclared = edge(openFeature.client()).build();
      assertThat(undeclared.route(NO_HEADERS, GETTER, pro).variant("checkout")).isEqualTo("v2");
      assertThat(undeclared.route(NO_HEADERS, GETTER, free).variant("checkout"))
          .as("an attribute neither declared nor ignored still splits the entry").isEqualTo("v1");
    }
  }

  @Test
  void aFullCacheStoresANewUserOnItsSecondMissOnly() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature.client()).cache(2, Duration.ofMinutes(1)).build();
      router.route(NO_HEADERS, GETTER, USER);
      router.route(NO_HEADERS, GETTER, BETA);
      assertThat(openFeature.evaluations()).as("stored at once while there is room").isEqualTo(4);
      router.route(NO_HEADERS, GETTER, BETA);
      assertThat(openFeature.evaluations()).isEqualTo(4);

      EvaluationContext newcomer = new ImmutableContext("user-3");
      router.route(NO_HEADERS, GETTER, newcomer);
      router.route(NO_HEADERS, GETTER, newcomer);
      assertThat(openFeature.evaluations()).as("the first miss of a full cache is not stored").isEqualTo(8);
      assertThat(router.route(NO_HEADERS, GETTER, newcomer).variant("checkout")).isEqualTo("v1");
      assertThat(openFeature.evaluations()).as("the second miss is").isEqualTo(8);
    }
  }

  @Test
  void oversizedTargetingKeysAreEvaluatedButNeverCached() {
    EvaluationContext huge = new ImmutableContext("u".repeat(DecisionCache.MAX_KEY_CHARS + 1));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature.client()).build();

      router.route(NO_HEADERS, GETTER, huge);
      router.route(NO_HEADERS, GETTER, huge);

      assertThat(openFeature.evaluations()).isEqualTo(4);
    }
  }

  @Test
  void errorResultsTakeTheDefaultAndAreNeverCached() {
    InMemoryProvider provider = new InMemoryProvider(Map.of("checkout", TestRoutes.checkoutFlag()));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider)) {
      FlagRouter router = edge(openFeature.client()).build();

      FlagContext flags = router.route(NO_HEADERS, GETTER, BETA);
      router.route(NO_HEADERS, GETTER, BETA);

      assertThat(flags.decisions()).containsExactly(
          entry("checkout", evaluated("v2", "TARGETING_MATCH")), entry("search", fallback("off", "ERROR_FLAG_NOT_FOUND")));
      assertThat(openFeature.evaluations()).isEqualTo(4);
      assertThat(counters.evaluationFailures(EvaluationFailure.ERROR_RESULT)).isEqualTo(2);
    }
  }

  @Test
  void aThrowingProviderGivesEveryFlagItsDefault() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestProviders.throwing())) {
      FlagContext flags = edge(openFeature.client()).build().route(NO_HEADERS, GETTER, BETA);

      assertThat(flags.decisions()).containsExactly(
          entry("checkout", fallback("v1", "ERROR_GENERAL")), entry("search", fallback("off", "ERROR_GENERAL")));
      assertThat(counters.evaluationFailures(EvaluationFailure.ERROR_RESULT)).isEqualTo(2);
    }
  }

  @Test
  void aClientThatThrowsOnEveryCallGivesEveryFlagItsDefault() {
    Client broken = (Client) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Client.class},
        (proxy, method, args) -> {
          throw new IllegalStateException("client exploded");
        });
    FlagRouter router = edge(broken).build();

    FlagContext flags = router.route(NO_HEADERS, GETTER, BETA);

    assertThat(flags.decisions()).containsExactly(
        entry("checkout", fallback("v1", "EXCEPTION")), entry("search", fallback("off", "EXCEPTION")));
    assertThat(counters.evaluationFailures(EvaluationFailure.EXCEPTION)).isEqualTo(2);
  }

  @Test
  void aProviderThatIsNotReadyGivesEveryFlagItsDefault() {
    SlowStartingProvider provider = new SlowStartingProvider();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.starting(provider)) {
      assertThat(openFeature.client().getProviderState()).isEqualTo(ProviderState.NOT_READY);
      FlagRouter router = edge(openFeature.client()).build();

      FlagContext flags = router.route(NO_HEADERS, GETTER, BETA);

      assertThat(flags.decisions()).containsExactly(
          entry("checkout", fallback("v1", "PROVIDER_NOT_READY")), entry("search", fallback("off", "PROVIDER_NOT_READY")));
      assertThat(provider.calls()).isZero();
      assertThat(counters.evaluationFailures(EvaluationFailure.PROVIDER_NOT_READY)).isEqualTo(2);
      provider.finishInitializing();
      assertThat(eventually(() -> "v2".equals(router.route(NO_HEADERS, GETTER, BETA).variant("checkout")))).isTrue();
    }
  }

  @Test
  void providerErrorAndFatalStatesGiveEveryFlagItsDefault() {
    InMemoryProvider provider = TestRoutes.provider();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider)) {
      FlagRouter router = edge(openFeature.client()).noCache().build();

      provider.emitProviderError(ProviderEventDetails.builder().message("backend down").build()).await();
      assertThat(eventually(() -> openFeature.client().getProviderState() == ProviderState.ERROR)).isTrue();
      assertThat(router.route(NO_HEADERS, GETTER, BETA).decision("checkout")).isEqualTo(fallback("v1", "PROVIDER_ERROR"));

      provider.emitProviderError(ProviderEventDetails.builder().errorCode(ErrorCode.PROVIDER_FATAL).build()).await();
      assertThat(eventually(() -> openFeature.client().getProviderState() == ProviderState.FATAL)).isTrue();
      assertThat(router.route(NO_HEADERS, GETTER, BETA).decision("search")).isEqualTo(fallback("off", "PROVIDER_FATAL"));
      assertThat(counters.evaluationFailures(EvaluationFailure.PROVIDER_ERROR)).isEqualTo(2);
      assertThat(counters.evaluationFailures(EvaluationFailure.PROVIDER_FATAL)).isEqualTo(2);
    }
  }

  @Test
  void aValueThatIsNotAVariantGivesTheDefault() {
    InMemoryProvider provider = new InMemoryProvider(Map.of(
        "checkout", Flag.<String>builder().variant("v9", "v9").defaultVariant("v9").build(),
        "search", TestRoutes.searchFlag()));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider)) {
      FlagContext flags = edge(openFeature.client()).build().route(NO_HEADERS, GETTER, BETA);

      assertThat(flags.decisions()).containsExactly(
          entry("checkout", fallback("v1", "FOREIGN_VARIANT")), entry("search", evaluated("on", "STATIC")));
      assertThat(counters.evaluationFailures(EvaluationFailure.FOREIGN_VARIANT)).isEqualTo(1);
    }
  }

  @Test
  void aValueOfAnotherTypeGivesTheDefault() {
    InMemoryProvider typed = new InMemoryProvider(Map.of(
        "checkout", Flag.<Boolean>builder().variant("on", true).defaultVariant("on").build(),
        "search", TestRoutes.searchFlag()));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(typed)) {
      assertThat(edge(openFeature.client()).build().route(NO_HEADERS, GETTER, BETA).decision("checkout"))
          .isEqualTo(fallback("v1", "ERROR_TYPE_MISMATCH"));
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    StringProvider integers = new StringProvider((key, ctx) -> (ProviderEvaluation) ProviderEvaluation.builder().value(42).build());
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(integers)) {
      assertThat(edge(openFeature.client()).build().route(NO_HEADERS, GETTER, BETA).decision("search"))
          .isEqualTo(fallback("off", "ERROR_TYPE_MISMATCH"));
    }
    assertThat(counters.evaluationFailures(EvaluationFailure.TYPE_MISMATCH)).isEqualTo(3);
  }

  @Test
  void aProviderSlowerThanTheDeadlineGivesDefaultsAndItsLateAnswerFillsTheCache() {
    GatedProvider provider = new GatedProvider((key, ctx) -> TestProviders.answer(key.equals("checkout") ? "v2" : "on"));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(provider)) {
      FlagRouter router = edge(openFeature.client()).deadline(Duration.ofMillis(20)).build();

      FlagContext first = router.route(NO_HEADERS, GETTER, BETA);
      FlagContext second = router.route(NO_HEADERS, GETTER, BETA);

      assertThat(first.decisions()).containsExactly(
          entry("checkout", fallback("v1", "DEADLINE_EXCEEDED")), entry("search", fallback("off", "DEADLINE_EXCEEDED")));
      assertThat(second).isEqualTo(first);
      assertThat(provider.calls()).as("requests for one key share the evaluation in flight").isEqualTo(1);
      assertThat(counters.evaluationFailures(EvaluationFailure.DEADLINE_EXCEEDED)).isEqualTo(4);

      provider.open();
      assertThat(eventually(() -> "v2".equals(router.route(NO_HEADERS, GETTER, BETA).variant("checkout")))).isTrue();
      assertThat(provider.calls()).as("the late answer was cached").isEqualTo(2);
    }
  }

  @Test
  void inboundFlagHeadersAreIgnoredButNotLookedForUnlessForeignHeadersAreReported() {
    Map<String, String> spoofed = Map.of("x-flag-checkout", "v2", "x-flag-admin", "yes",
        FlagRouter.DEFAULT_SHADOW_HEADER, "1");
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .listener(counters).build();

      FlagContext flags = router.route(spoofed, GETTER, USER);

      assertThat(flags).isEqualTo(router.route(NO_HEADERS, GETTER, USER));
      assertThat(flags.isShadow()).isFalse();
      assertThat(counters.decisions()).isEqualTo(2);
      assertThat(counters.dropped()).as("nobody asked to hear of headers the edge never uses").isZero();
    }
  }

  @Test
  void inboundFlagHeadersAreIgnoredAndCountedAtTheEdge() {
    Map<String, String> spoofed = Map.of("x-flag-checkout", "v2", "x-flag-search", "off", "x-flag-admin", "yes");
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature.client()).build();

      FlagContext flags = router.route(spoofed, GETTER, USER);

      assertThat(flags).isEqualTo(router.route(NO_HEADERS, GETTER, USER));
      assertThat(flags.variants()).containsExactly(entry("checkout", "v1"), entry("search", "on"));
      assertThat(counters.dropped(DropReason.UNTRUSTED)).isEqualTo(3);
    }
  }

  @Test
  void concurrentRequestsEachGetTheirOwnUsersDecision() throws Exception {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature.client()).cache(50, Duration.ofMinutes(1)).build();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Integer>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
          int worker = w;
          workers.add(pool.submit(() -> {
            int checked = 0;
            for (int i = 0; i < 2_000; i++) {
              boolean beta = (i + worker) % 3 == 0;
              String user = (beta ? "beta-" : "user-") + (i * 7 + worker) % 200;
              FlagContext flags = router.route(NO_HEADERS, GETTER, new ImmutableContext(user));
              assertThat(flags.variant("checkout")).as(user).isEqualTo(beta ? "v2" : "v1");
              checked++;
            }
            return checked;
          }));
        }
        for (Future<Integer> worker : workers) {
          assertThat(worker.get(60, TimeUnit.SECONDS)).isEqualTo(2_000);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(counters.decisions()).isEqualTo(16_000);
      assertThat(counters.evaluationFailures()).isZero();
    }
  }

  @Test
  void builderRejectsInconsistentConfiguration() {
    OverrideTokens tokens = OverrideTokens.builder(TestRoutes.SECRET).build();
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("mode");
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("client");
    assertThatThrownBy(
        () -> FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).evaluateMissing(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("client");
    assertThatThrownBy(
        () -> FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).overrides(tokens).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("edge only");
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY)
        .overrideHeader("X-Flag-Override").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("x-flag-override");
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).cache(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).service("Reviews", "v1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
