package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.config.RoutingSettings;
import dev.flagroute.config.Setting;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every setting of core's configuration model ({@link Setting}) has its {@code flagroute.*}
 * property, in the configuration metadata and mapped onto the router; the ones added last
 * ({@code flagroute.cache.ignored-attributes}, {@code flagroute.override.audience}) work in a real
 * application context.
 */
class CoreSettingsTest {
  private static final String SECRET = "Zq3v8LmP0xR7tYw2Kc9Nf4Hb6Jd1Sg5A";

  /** A value for every {@code flagroute.*} property that maps onto a core setting. */
  private static final Map<String, String> EVERY_SETTING = everySetting();

  private final AtomicInteger evaluations = new AtomicInteger();
  private final RoutingCounters counters = new RoutingCounters();
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class))
      .withPropertyValues(FlagRouteAutoConfigurationTest.CHECKOUT)
      .withPropertyValues("flagroute.mode=edge")
      .withBean(OpenFeatureAPI.class, this::countingApi)
      .withBean(RoutingCounters.class, () -> counters);

  private static Map<String, String> everySetting() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("flagroute.mode", "edge");
    properties.put("flagroute.header.codec", "combined");
    properties.put("flagroute.header.prefix", "x-f-");
    properties.put("flagroute.header.name", "x-cohorts");
    properties.put("flagroute.header.member-prefix", "f.");
    properties.put("flagroute.limits.max-flags", "3");
    properties.put("flagroute.limits.max-value-length", "30");
    properties.put("flagroute.limits.max-header-length", "300");
    properties.put("flagroute.targeting-key.source", "header");
    properties.put("flagroute.targeting-key.name", "x-user-id");
    properties.put("flagroute.attribute-headers.tenant", "x-tenant");
    properties.put("flagroute.cache.enabled", "true");
    properties.put("flagroute.cache.size", "10");
    properties.put("flagroute.cache.ttl", "5s");
    properties.put("flagroute.cache.key-attributes", "plan");
    properties.put("flagroute.cache.ignored-attributes", "requestId");
    properties.put("flagroute.deadline", "50ms");
    properties.put("flagroute.evaluate-missing", "true");
    properties.put("flagroute.report-foreign-headers", "true");
    properties.put("flagroute.override.secret", SECRET);
    properties.put("flagroute.override.secret-file", "/run/secret");
    properties.put("flagroute.override.header", "x-force");
    properties.put("flagroute.override.max-ttl", "1h");
    properties.put("flagroute.override.audience", "frontend");
    properties.put("flagroute.override.accept-unbound", "true");
    properties.put("flagroute.shadow.header", "x-mirror");
    properties.put("flagroute.service.name", "reviews");
    properties.put("flagroute.service.version", "v1");
    properties.put("flagroute.guard.flags", "checkout");
    properties.put("flagroute.guard.failure-ratio", "0.4");
    properties.put("flagroute.guard.min-requests", "10");
    properties.put("flagroute.guard.margin", "0.2");
    properties.put("flagroute.guard.window", "20s");
    properties.put("flagroute.guard.cool-down", "10s");
    properties.put("flagroute.guard.probe-share", "0.2");
    properties.put("flagroute.guard.probe-requests", "3");
    properties.put("flagroute.verdicts.flags", "checkout");
    properties.put("flagroute.verdicts.alpha", "0.01");
    properties.put("flagroute.verdicts.min-requests", "500");
    properties.put("flagroute.verdicts.error-difference", "0.02");
    properties.put("flagroute.verdicts.slow-share-difference", "0.1");
    properties.put("flagroute.verdicts.slow-quantile", "0.99");
    properties.put("flagroute.verdicts.calibration-requests", "2000");
    properties.put("flagroute.verdicts.hold-back-worse", "true");
    return properties;
  }

  /**
   * Fails when core gains a setting the starter does not map: with every property set, each of
   * core's settings gets a value.
   */
  @Test
  void everyCoreSettingHasAProperty() {
    FlagRouteProperties properties = new Binder(new MapConfigurationPropertySource(EVERY_SETTING))
        .bindOrCreate("flagroute", FlagRouteProperties.class);

    Map<Setting, String> values = RouterSettings.values(properties);

    assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(Setting.class));
    assertThat(values).containsEntry(Setting.CACHE_IGNORED_ATTRIBUTES, "requestId")
        .containsEntry(Setting.OVERRIDE_AUDIENCE, "frontend").containsEntry(Setting.TARGETING_KEY, "header:x-user-id")
        .containsEntry(Setting.ATTRIBUTE_HEADERS, "tenant=x-tenant").containsEntry(Setting.SHADOW_HEADER, "x-mirror");
  }

  /** Each setting's property is named {@code flagroute.<key>}, and is in the configuration metadata. */
  @Test
  void everyCoreSettingIsInTheMetadataUnderItsKey() throws IOException {
    List<String> names = JsonPath.read(metadata(), "$.properties[*].name");

    for (Setting setting : Setting.values()) {
      String property = "flagroute." + setting.key();
      assertThat(names).as("metadata of %s", setting)
          .anyMatch(name -> name.equals(property) || name.startsWith(property + "."));
      assertThat(EVERY_SETTING.keySet()).as("a value for %s", setting)
          .anyMatch(name -> name.equals(property) || name.startsWith(property + "."));
    }
  }

  @Test
  void ignoredAttributesAreLeftOutOfTheCacheKey() {
    runner.withPropertyValues("flagroute.cache.ignored-attributes=requestId, traceId").run(context -> {
      FlagRouter router = context.getBean(FlagRouter.class);

      for (int i = 0; i < 3; i++) {
        route(router, "beta-1", Map.of("requestId", new Value("r" + i), "traceId", new Value("t" + i)));
      }

      assertThat(evaluations).as("one evaluation; the other requests hit the cache").hasValue(1);
    });
  }

  @Test
  void withoutThemEveryAttributeIsPartOfTheCacheKey() {
    runner.run(context -> {
      FlagRouter router = context.getBean(FlagRouter.class);

      for (int i = 0; i < 3; i++) {
        route(router, "beta-1", Map.of("requestId", new Value("r" + i)));
      }

      assertThat(evaluations).hasValue(3);
    });
  }

  @Test
  void theAudienceAcceptsTokensForThisEdgeOnly() {
    OverrideTokens tokens = OverrideTokens.builder(SECRET).build();
    runner.withPropertyValues("flagroute.override.secret=" + SECRET, "flagroute.override.audience=frontend")
        .run(context -> {
          FlagRouter router = context.getBean(FlagRouter.class);
          String ours = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5), null, "frontend");
          String theirs = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5), null, "checkout-api");

          assertThat(router.route(Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER, ours), HeaderGetter.forMap())
              .variant("checkout")).isEqualTo("v2");
          assertThat(router.route(Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER, theirs), HeaderGetter.forMap())
              .variant("checkout")).isEqualTo("v1");
          assertThat(counters.overridesAccepted()).isEqualTo(1);
          assertThat(counters.overridesRejected(OverrideRejection.WRONG_AUDIENCE)).isEqualTo(1);
        });
  }

  @Test
  void withoutAnAudienceAudienceBoundTokensAreRefused() {
    OverrideTokens tokens = OverrideTokens.builder(SECRET).build();
    runner.withPropertyValues("flagroute.override.secret=" + SECRET).run(context -> {
      String bound = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5), null, "frontend");

      assertThat(context.getBean(FlagRouter.class).route(Map.of(FlagRouter.DEFAULT_OVERRIDE_HEADER, bound),
          HeaderGetter.forMap()).variant("checkout")).isEqualTo("v1");
      assertThat(counters.overridesRejected(OverrideRejection.WRONG_AUDIENCE)).isEqualTo(1);
    });
  }

  @Test
  void theActuatorViewShowsBoth() {
    runner.withPropertyValues("flagroute.override.secret=" + SECRET, "flagroute.override.audience=frontend",
        "flagroute.cache.ignored-attributes=requestId").run(context -> {
          Map<String, String> effective = context.getBean(RoutingSettings.class).effective();

          assertThat(effective).containsEntry("override.audience", "frontend");
          assertThat(effective.get("cache")).endsWith("but [requestId]");
        });
  }

  private void route(FlagRouter router, String user, Map<String, Value> attributes) {
    assertThat(router.route(Map.<String, String>of(), HeaderGetter.forMap(), new ImmutableContext(user, attributes))
        .variant("checkout")).isEqualTo("v2");
  }

  /** {@code checkout} is v2 for keys starting with {@code beta-}; counts every evaluation. */
  private OpenFeatureAPI countingApi() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(Map.of("checkout", Flag.<String>builder()
        .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
        .contextEvaluator((flag, context) -> {
          evaluations.incrementAndGet();
          String key = context.getTargetingKey();
          return key != null && key.startsWith("beta-") ? "v2" : null;
        }).build())));
    return api;
  }

  private static String metadata() throws IOException {
    try (InputStream in = CoreSettingsTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated configuration metadata").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
