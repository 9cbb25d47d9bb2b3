package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestProviders.StringProvider;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Providers and listeners that throw {@link Error}s, not exceptions: a request never fails because
 * of flag routing, except when the JVM runs out of memory.
 */
class ProviderErrorsTest {
  private static final Map<String, String> NO_HEADERS = Map.of();
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();

  private static final List<Supplier<Error>> ERRORS = List.of(
      () -> new AssertionError("provider assertion"),
      () -> new NoClassDefFoundError("com/vendor/Missing"),
      () -> new ExceptionInInitializerError("static init failed"),
      () -> new AbstractMethodError("old provider binary"),
      () -> new Error("plain error"),
      StackOverflowError::new,
      () -> new InternalError("provider internal"),
      () -> new UnknownError("unknown"));

  private static StringProvider throwing(Supplier<Error> error) {
    return new StringProvider((key, ctx) -> {
      throw error.get();
    });
  }

  @Test
  void aProviderThatThrowsAnErrorGivesEveryFlagItsDefaultWithoutADeadline() {
    for (Supplier<Error> error : ERRORS) {
      RoutingCounters counters = new RoutingCounters();
      try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(throwing(error))) {
        FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
            .listener(counters).build();

        FlagContext flags = router.route(NO_HEADERS, GETTER, new ImmutableContext("user-1"));

        assertThat(flags.decisions()).as("%s", error.get()).containsExactly(
            entry("checkout", new FlagDecision("v1", Source.DEFAULT, "EXCEPTION")),
            entry("search", new FlagDecision("off", Source.DEFAULT, "EXCEPTION")));
        assertThat(counters.evaluationFailures(EvaluationFailure.EXCEPTION)).isEqualTo(2);
        router.route(NO_HEADERS, GETTER, new ImmutableContext("user-1"));
        assertThat(counters.evaluationFailures(EvaluationFailure.EXCEPTION)).as("never cached").isEqualTo(4);
      }
    }
  }

  @Test
  void aProviderThatThrowsAnErrorGivesEveryFlagItsDefaultWithADeadline() {
    for (Supplier<Error> error : ERRORS) {
      try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(throwing(error))) {
        FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
            .deadline(Duration.ofSeconds(30)).build();

        FlagContext flags = router.route(NO_HEADERS, GETTER, new ImmutableContext("user-1"));

        assertThat(flags.variants()).as("%s", error.get()).containsExactly(entry("checkout", "v1"), entry("search", "off"));
        assertThat(flags.decision("checkout").source()).isEqualTo(Source.DEFAULT);
      }
    }
  }

  @Test
  void aListenerThatThrowsAnErrorDoesNotFailTheRequest() {
    RoutingListener failing = new RoutingListener() {
      @Override
      public void decided(FlagContext context) {
        throw new AssertionError("listener assertion");
      }

      @Override
      public void evaluationFailed(String flagKey, EvaluationFailure failure) {
        throw new NoClassDefFoundError("io/micrometer/Missing");
      }
    };
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(throwing(() -> new AssertionError("x")))) {
      FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .listener(failing).build();

      assertThat(router.route(NO_HEADERS, GETTER, new ImmutableContext("user-1")).variants())
          .containsExactly(entry("checkout", "v1"), entry("search", "off"));
    }
  }

  /** The documented exception: running out of memory is not flag routing failing, and is not hidden. */
  @Test
  void outOfMemoryIsLetThrough() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(throwing(() -> new OutOfMemoryError("heap")))) {
      FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client()).build();

      assertThatThrownBy(() -> router.route(NO_HEADERS, GETTER, new ImmutableContext("user-1")))
          .isInstanceOf(OutOfMemoryError.class);
    }
  }
}
