package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.guard.GuardState;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.spring.actuate.FlagRouteEndpoint;
import dev.flagroute.verdict.VerdictState;
import dev.flagroute.micrometer.MicrometerRoutingListener;
import dev.flagroute.micrometer.RolloutMetrics;
import dev.flagroute.micrometer.VariantHealthMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.flagroute.override.OverrideTokens;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When metrics are recorded and the endpoint is exposed. */
class MetricsAndEndpointAutoConfigurationTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class, FlagRouteMetricsAutoConfiguration.class,
          FlagRouteEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
      .withPropertyValues(InboundAutoConfigurationTest.RELAY);
  final ApplicationContextRunner exposed = runner.withPropertyValues("management.endpoints.jmx.exposure.include=flagroute",
      "spring.jmx.enabled=true");

  @Test
  void theRouterRecordsIntoTheApplicationsRegistry() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("flagroute.report-foreign-headers=true").run(context -> {
      context.getBean(FlagRouter.class).route(Map.of("x-flag-checkout", "v2", "x-flag-nope", "x"), HeaderGetter.forMap());
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("flagroute.decisions").tags("flag", "checkout", "variant", "v2", "source", "relayed")
          .counter().count()).isEqualTo(1);
      assertThat(registry.get("flagroute.headers.dropped").tag("reason", "unknown_flag").counter().count()).isEqualTo(1);
    });
  }

  @Test
  void misroutesAreCounted() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("flagroute.service.name=reviews", "flagroute.service.version=v1").run(context -> {
          context.getBean(FlagRouter.class).route(Map.of("x-flag-checkout", "v2"), HeaderGetter.forMap());
          assertThat(context.getBean(MeterRegistry.class).get("flagroute.misroutes")
              .tags("flag", "checkout", "variant", "v2").counter().count()).isEqualTo(1);
        });
  }

  @Test
  void failedEvaluationsAndOverridesAreCounted() {
    String secret = "l1uR0Bw4yYNN8YUGncUunA0I8TwSMPZE-spring";
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(OpenFeatureAPI.class, () -> {
          OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
          api.setProviderAndWait(new InMemoryProvider(Map.of()));
          return api;
        })
        .withPropertyValues("flagroute.mode=edge", "flagroute.override.secret=" + secret).run(context -> {
          FlagRouter router = context.getBean(FlagRouter.class);
          String token = OverrideTokens.builder(secret).build().mint(Map.of("checkout", "v2"), Duration.ofMinutes(5));
          assertThat(router.route(Map.of("x-flagroute-override", token), HeaderGetter.forMap()).variant("checkout"))
              .isEqualTo("v2");
          router.route(Map.of("x-flagroute-override", token + "x"), HeaderGetter.forMap());
          router.route(Map.<String, String>of(), HeaderGetter.forMap());
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("flagroute.overrides").tags("outcome", "accepted").counter().count()).isEqualTo(1);
          assertThat(registry.get("flagroute.overrides").tags("outcome", "rejected", "reason", "forged").counter()
              .count()).isEqualTo(1);
          assertThat(registry.get("flagroute.evaluation.failures").tags("flag", "checkout").counter().count())
              .isGreaterThanOrEqualTo(1);
        });
  }

  @Test
  void judgedFlagsGetVerdictGaugesFromStartUpAndVerdictsInTheEndpoint() {
    exposed.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(OpenFeatureAPI.class, () -> {
          OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
          api.setProviderAndWait(new InMemoryProvider(Map.of()));
          return api;
        })
        .withPropertyValues("flagroute.mode=edge", "flagroute.verdicts.flags=checkout",
            "flagroute.verdicts.min-requests=50")
        .run(context -> {
          FlagRouter router = context.getBean(FlagRouter.class);
          assertThat(router.verdicts()).singleElement().satisfies(verdict -> {
            assertThat(verdict.variant()).isEqualTo("v2");
            assertThat(verdict.state()).isEqualTo(VerdictState.NOT_ENOUGH_DATA);
          });
          assertThat(context.getBean(RolloutMetrics.class)).isNotNull();
          assertThat(context.getBean(MeterRegistry.class).get(RolloutMetrics.VERDICT_STATE)
              .tags("flag", "checkout", "variant", "v2").gauge().value()).isEqualTo(0);
          assertThat(context.getBean(FlagRouteEndpoint.class).describe().verdicts()).hasSize(1);
        });
  }

  @Test
  void guardedEdgeRecordsPerVariantHealthAndShowsTheGuardInTheEndpoint() {
    exposed.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(OpenFeatureAPI.class, () -> {
          OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
          api.setProviderAndWait(new InMemoryProvider(Map.of("checkout", Flag.<String>builder()
              .variant("v1", "v1").variant("v2", "v2").defaultVariant("v2").build())));
          return api;
        })
        .withPropertyValues("flagroute.mode=edge", "flagroute.guard.flags=checkout", "flagroute.guard.min-requests=2",
            "flagroute.guard.cool-down=1h")
        .run(context -> {
          FlagRouter router = context.getBean(FlagRouter.class);
          for (int i = 0; i < 2; i++) {
            FlagContext flags = router.route(Map.<String, String>of(), HeaderGetter.forMap());
            assertThat(flags.variant("checkout")).isEqualTo("v2");
            router.completed(flags, RequestOutcome.failure(Duration.ofMillis(7)).seenBy(null, "10.0.0." + i));
          }
          assertThat(router.route(Map.<String, String>of(), HeaderGetter.forMap()).decision("checkout").reason())
              .isEqualTo(FlagDecision.GUARDED);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get(VariantHealthMetrics.REQUESTS)
              .tags("flag", "checkout", "variant", "v2", "version", "v2", "outcome", "failure").timer().count())
              .isEqualTo(2);
          assertThat(registry.get(VariantHealthMetrics.GUARD_TRANSITIONS)
              .tags("flag", "checkout", "variant", "v2", "state", "open").counter().count()).isEqualTo(1);
          assertThat(registry.get(VariantHealthMetrics.GUARD_STATE).tags("flag", "checkout", "variant", "v2").gauge()
              .value()).isEqualTo(1);
          assertThat(registry.get(VariantHealthMetrics.GUARD_HELD).tags("flag", "checkout").counter().count())
              .isEqualTo(1);
          FlagRouteEndpoint.Description description = context.getBean(FlagRouteEndpoint.class).describe();
          assertThat(description.guard()).singleElement().satisfies(status -> {
            assertThat(status.flagKey()).isEqualTo("checkout");
            assertThat(status.state()).isEqualTo(GuardState.OPEN);
          });
          assertThat(description.configuration()).hasEntrySatisfying("guard",
              guard -> assertThat(guard).asString().startsWith("checkout: trips a variant").contains("at least 2"));
        });
  }

  @Test
  void guardSettingsAreCheckedByCore() {
    runner.withPropertyValues("flagroute.guard.flags=checkout").run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().hasMessageContaining("flagroute.guard.flags")
        .hasMessageContaining("edge only"));
  }

  @Test
  void noRegistryNoMetrics() {
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerRoutingListener.class));
  }

  @Test
  void metricsAreSwitchedOffByTheirProperty() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues("flagroute.metrics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MicrometerRoutingListener.class));
  }

  @Test
  void metricsBackOffForTheApplicationsListener() {
    MicrometerRoutingListener own = new MicrometerRoutingListener(new SimpleMeterRegistry());
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withBean(MicrometerRoutingListener.class, () -> own)
        .run(context -> assertThat(context.getBean(MicrometerRoutingListener.class)).isSameAs(own));
  }

  @Test
  void theExposedEndpointDescribesTheRouter() {
    exposed.run(context -> {
      FlagRouteEndpoint.Description description = context.getBean(FlagRouteEndpoint.class).describe();
      assertThat(description.mode()).isEqualTo("relay");
      assertThat(description.routes()).extracting(FlagRouteEndpoint.Route::flag).containsExactly("checkout");
      assertThat(description.configuration()).containsEntry("mode", "relay")
          .containsEntry("header.codec", "HeaderCodec.perFlag(x-flag-)").containsEntry("routes", "1 inline (flagroute.routes)")
          .containsEntry("cache", "10000 entries for PT1M, keyed on the targeting key and every attribute")
          .containsEntry("override.secret", "not set");
      assertThat(description.verdicts()).isEmpty();
      assertThat(description.ramps()).isEmpty();
    });
  }

  @Test
  void theEndpointShowsOnlyWhetherTheOverrideSecretIsSet() {
    exposed.withBean(OpenFeatureAPI.class, OpenFeatureAPI::createIsolated)
        .withPropertyValues("flagroute.mode=edge", "flagroute.override.secret=l1uR0Bw4yYNN8YUGncUunA0I8TwSMPZE-spring")
        .run(context -> assertThat(context.getBean(FlagRouteEndpoint.class).describe().configuration())
            .containsEntry("override.secret", "(set)")
            .allSatisfy((key, value) -> assertThat(String.valueOf(value)).doesNotContain("l1uR0Bw4yYNN")));
    exposed.withBean(OpenFeatureAPI.class, OpenFeatureAPI::createIsolated)
        .withPropertyValues("flagroute.mode=edge", "flagroute.override.secret=")
        .run(context -> assertThat(context.getBean(FlagRouteEndpoint.class).describe().configuration())
            .containsEntry("override.secret", "not set"));
  }

  @Test
  void theEndpointShowsWhatTheRouterInUseHasNotRawProperties() {
    exposed.withPropertyValues("flagroute.cache.key-attributes=plan", "flagroute.attribute-headers.tenant=x-tenant-id",
        "flagroute.deadline=PT0.05S").run(context -> assertThat(context.getBean(FlagRouteEndpoint.class).describe()
            .configuration())
        .containsEntry("attribute-headers", "{tenant=x-tenant-id}")
        .containsEntry("cache", "10000 entries for PT1M, keyed on the targeting key and [tenant, plan] and every other attribute")
        .containsEntry("deadline", "PT0.05S"));
  }

  @Test
  void anApplicationsOwnRouterIsDescribedWithoutSettings() {
    FlagRouter own = FlagRouter.builder(FlagRoutes.empty()).mode(RoutingMode.RELAY).build();
    exposed.withBean(FlagRouter.class, () -> own)
        .run(context -> assertThat(context.getBean(FlagRouteEndpoint.class).describe().configuration()).isEmpty());
  }


  @Test
  void theEndpointCanBeSwitchedOffOrLeftOut() {
    runner.run(context -> assertThat(context).doesNotHaveBean(FlagRouteEndpoint.class));
    exposed.withPropertyValues("management.endpoint.flagroute.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(FlagRouteEndpoint.class));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class, FlagRouteEndpointAutoConfiguration.class))
        .withPropertyValues(InboundAutoConfigurationTest.RELAY)
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagRouteEndpoint.class));
  }
}
