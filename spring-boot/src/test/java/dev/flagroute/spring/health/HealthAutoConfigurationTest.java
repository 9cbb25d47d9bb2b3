package dev.flagroute.spring.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.TestFlags;
import dev.flagroute.spring.autoconfigure.FlagRouteAutoConfiguration;
import dev.flagroute.spring.autoconfigure.FlagRouteHealthAutoConfiguration;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Value;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The flagroute health indicator in a Boot context: the routes, and the provider's state as a status. */
class HealthAutoConfigurationTest {
  private static final String[] ROUTE = {"flagroute.routes[0].flag=checkout", "flagroute.routes[0].service=reviews",
      "flagroute.routes[0].default-variant=v1", "flagroute.routes[0].variants.v1=v1",
      "flagroute.routes[0].variants.v2=v2"};

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FlagRouteAutoConfiguration.class, FlagRouteHealthAutoConfiguration.class))
      .withPropertyValues(ROUTE);

  @Test
  void aReadyProviderIsUpWithTheRoutes() {
    runner.withPropertyValues("flagroute.mode=edge").withBean(OpenFeatureAPI.class, TestFlags::api).run(context -> {
      Health health = context.getBean("flagrouteHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("mode", "edge").containsEntry("routes", List.of("checkout"))
          .containsEntry("providerState", "READY");
    });
  }

  @Test
  void whatTheStartUpWarmUpFoundIsShownByFlagName() {
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new dev.openfeature.sdk.providers.memory.InMemoryProvider(java.util.Map.of()));
    try {
      runner.withPropertyValues("flagroute.mode=edge").withBean(OpenFeatureAPI.class, () -> api).run(context -> {
        assertThat(context.getBean(dev.flagroute.evaluation.WarmUpReport.class).problems())
            .singleElement().satisfies(problem -> assertThat(problem.flagKey()).isEqualTo("checkout"));
        Health health = context.getBean("flagrouteHealthIndicator", HealthIndicator.class).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("startupProblems")).asString()
            .contains("flag 'checkout': FLAG_NOT_FOUND");
      });
    } finally {
      api.shutdown();
    }
  }

  @Test
  void aProviderStillStartingIsOutOfServiceAndOneInErrorIsDown() {
    ControlledProvider provider = new ControlledProvider();
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProvider(provider);
    try {
      runner.withPropertyValues("flagroute.mode=edge").withBean(OpenFeatureAPI.class, () -> api).run(context -> {
        HealthIndicator indicator = context.getBean("flagrouteHealthIndicator", HealthIndicator.class);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(indicator.health().getDetails()).containsEntry("providerState", "NOT_READY");

        provider.started.countDown();
        provider.ready.await();
        provider.emitProviderError(ProviderEventDetails.builder().message("flag source unreachable").build()).await();
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(indicator.health().getDetails()).containsEntry("providerState", "ERROR");

        provider.emitProviderStale(ProviderEventDetails.builder().build()).await();
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        provider.emitProviderError(ProviderEventDetails.builder().errorCode(ErrorCode.PROVIDER_FATAL).build()).await();
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(indicator.health().getDetails()).containsEntry("providerState", "FATAL");
      });
    } finally {
      provider.started.countDown();
      api.shutdown();
    }
  }

  @Test
  void aRelayThatEvaluatesNothingNeedsNoProvider() {
    runner.withPropertyValues("flagroute.mode=relay").run(context -> {
      Health health = context.getBean("flagrouteHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).doesNotContainKey("providerState").containsKey("provider");
    });
  }

  @Test
  void aRelayShowsFlagHeadersOfAnotherCodecAsADetail() {
    runner.withPropertyValues("flagroute.mode=relay", "flagroute.header.codec=baggage").run(context -> {
      FlagRouter router = context.getBean(FlagRouter.class);
      HealthIndicator indicator = context.getBean("flagrouteHealthIndicator", HealthIndicator.class);
      assertThat(indicator.health().getDetails()).doesNotContainKey("codecMismatch");

      router.route(Map.of("x-flag-checkout", "v2"), HeaderGetter.forMap());
      router.route(Map.of("x-flag-checkout", "v2"), HeaderGetter.forMap());

      Health health = indicator.health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("codecMismatch", Map.of("expected", "HeaderCodec.baggage(flag.)",
          "received", "HeaderCodec.perFlag(x-flag-)", "header", "x-flag-checkout", "requests", 2L));
    });
  }

  @Test
  void itIsSwitchedOffByPropertyAndLeftOutWithoutHealthSupport() {
    runner.withPropertyValues("flagroute.mode=relay", "management.health.flagroute.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagRouteHealthIndicator.class));
    runner.withPropertyValues("flagroute.mode=relay").withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagRouteHealthIndicator.class));
  }

  /** A provider whose initialization waits for the test, then whose state the test drives by events. */
  static final class ControlledProvider extends EventProvider {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch ready = new CountDownLatch(1);

    @Override
    public Metadata getMetadata() {
      return () -> "controlled";
    }

    @Override
    public void initialize(EvaluationContext context) throws Exception {
      started.await();
      ready.countDown();
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean fallback, EvaluationContext context) {
      return ProviderEvaluation.<Boolean>builder().value(fallback).build();
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String fallback, EvaluationContext context) {
      return ProviderEvaluation.<String>builder().value(fallback).build();
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer fallback, EvaluationContext context) {
      return ProviderEvaluation.<Integer>builder().value(fallback).build();
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double fallback, EvaluationContext context) {
      return ProviderEvaluation.<Double>builder().value(fallback).build();
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value fallback, EvaluationContext context) {
      return ProviderEvaluation.<Value>builder().value(fallback).build();
    }
  }
}
