package dev.flagroute.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.NoOpTransactionContextPropagator;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ThreadLocalTransactionContextPropagator;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

/**
 * Runs fixture classes (nested here, so that Surefire does not run them on their own) through the
 * Jupiter engine and checks how the harness fails them and what it leaves behind.
 */
@ExtendWith(FlagRoutingExtension.class)
class FlagRoutingExtensionFailureTest {
  private static final OpenFeatureAPI OPEN_FEATURE = OpenFeatureAPI.getInstance();

  @Test
  void aScopeLeftOpenFailsTheTestAndIsCleared(FlagContext mine) {
    EngineExecutionResults results = run(LeakingFixture.class);

    results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    assertThat(failures(results)).singleElement().isInstanceOf(AssertionFailedError.class).extracting(Throwable::getMessage)
        .asString()
        .startsWith("the test or its @BeforeEach or @AfterEach method left FlagContext{checkout=FlagDecision[variant=v2")
        .contains("a FlagScope was not closed");
    assertThat(FlagContext.current()).as("this thread is clean again").isSameAs(mine);
  }

  @Test
  void aScopeLeftOpenByBeforeAllFailsTheClass(FlagContext mine) {
    EngineExecutionResults results = run(LeakingBeforeAllFixture.class);

    results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    assertThat(failures(results)).singleElement().extracting(Throwable::getMessage).asString()
        .startsWith("a @BeforeAll or @AfterAll method left FlagContext{checkout=");
    assertThat(FlagContext.current()).isSameAs(mine);
  }

  @Test
  void theOpenFeatureTransactionContextIsClearedAroundEachTest() {
    OPEN_FEATURE.setTransactionContextPropagator(new ThreadLocalTransactionContextPropagator());
    try {
      EngineExecutionResults results = run(TransactionContextFixture.class);

      results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
      assertThat(OPEN_FEATURE.getTransactionContextPropagator().getTransactionContext()).isNull();
    } finally {
      OPEN_FEATURE.setTransactionContextPropagator(new NoOpTransactionContextPropagator());
    }
  }

  @Test
  void anUnknownVariantNamesTheTestTheFlagAndItsVariants() {
    assertConfigurationError(UnknownVariantFixture.class, UnknownVariantFixture.class.getName() + "#test: "
        + "@WithVariant(flag = \"checkout\", variant = \"v9\"): flag 'checkout' has no variant 'v9'; its variants are"
        + " [v1, v2]");
  }

  @Test
  void anUnknownFlagNamesTheDeclaredRoutes() {
    assertConfigurationError(UnknownFlagFixture.class, UnknownFlagFixture.class.getName() + "#test: "
        + "@WithVariant(flag = \"payment\", variant = \"on\"): no route for flag 'payment'; declare it with @WithRoute"
        + " or @WithRoutesFile (routes: [checkout])");
  }

  @Test
  void anInvalidRouteNamesEveryProblem() {
    assertConfigurationError(InvalidRouteFixture.class, InvalidRouteFixture.class.getName()
        + ": @WithRoute(flag = \"checkout\") is invalid: flag 'checkout': service 'Reviews' must be a lowercase DNS"
        + " name such as 'reviews'; flag 'checkout': default variant 'v3' is not among the variants [v1, v2]");
  }

  @Test
  void aRouteDeclaredTwiceOnOneElementIsAnError() {
    assertConfigurationError(DuplicateRouteFixture.class, DuplicateRouteFixture.class.getName()
        + ": @WithRoute(flag = \"Checkout\") is declared twice");
  }

  @Test
  void aMissingRoutesFileIsNamed() {
    assertConfigurationError(MissingFileFixture.class, MissingFileFixture.class.getName()
        + ": @WithRoutesFile(\"testing/absent.yaml\"): no such resource on the class path");
  }

  @Test
  void anInvalidRoutesFileNamesTheFileAndTheProblem() {
    assertConfigurationError(BrokenFileFixture.class, BrokenFileFixture.class.getName()
        + ": classpath:testing/broken-routes.yaml: invalid flag routes:\n"
        + "  - flag 'checkout': default variant 'v9' is not among the variants [v1]");
  }

  private static void assertConfigurationError(Class<?> fixture, String message) {
    List<Throwable> failures = failures(run(fixture));
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0)).isInstanceOf(ExtensionConfigurationException.class).hasMessage(message);
  }

  private static EngineExecutionResults run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
        .configurationParameter(Fixture.RUN, "true").execute();
  }

  private static List<Throwable> failures(EngineExecutionResults results) {
    return results.allEvents().failed().stream()
        .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
        .toList();
  }

  /** Marks a fixture: it runs only when launched by this test, never on its own (e.g. by {@code -Dtest=...*}). */
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(Fixture.OnlyWhenLaunched.class)
  @interface Fixture {
    String RUN = "flagroute.fixtures.run";

    /** Disables fixtures unless the launching test set {@link #RUN}. */
    class OnlyWhenLaunched implements ExecutionCondition {
      @Override
      public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(RUN).isPresent()
            ? ConditionEvaluationResult.enabled("launched by FlagRoutingExtensionFailureTest")
            : ConditionEvaluationResult.disabled("a fixture of FlagRoutingExtensionFailureTest");
      }
    }
  }

  @Fixture
  @WithRoute(flag = "checkout", service = "reviews", variants = {"v1", "v2"})
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class LeakingFixture {
    @Test
    void first_leaksAScope(FlagRoutes routes) {
      FlagContext.builder(routes).relayed("checkout", "v2").build().makeCurrent();
    }

    @Test
    void second_startsClean(FlagContext flags) {
      assertThat(FlagContext.current()).isSameAs(flags);
      assertThat(flags.variant("checkout")).isEqualTo("v1");
    }
  }

  @Fixture
  @WithRoute(flag = "checkout", service = "reviews", variants = {"v1", "v2"})
  static class LeakingBeforeAllFixture {
    @BeforeAll
    static void leak(FlagRoutes routes) {
      FlagContext.builder(routes).relayed("checkout", "v2").build().makeCurrent();
    }

    @Test
    void test(FlagContext flags) {
      assertThat(FlagContext.current()).isSameAs(flags);
    }
  }

  @Fixture
  @ExtendWith(FlagRoutingExtension.class)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class TransactionContextFixture {
    @Test
    void first_setsATransactionContext() {
      OPEN_FEATURE.setTransactionContext(new ImmutableContext("alice"));
      assertThat(OPEN_FEATURE.getTransactionContextPropagator().getTransactionContext().getTargetingKey())
          .isEqualTo("alice");
    }

    @Test
    void second_startsWithout() {
      assertThat(OPEN_FEATURE.getTransactionContextPropagator().getTransactionContext()).isNull();
    }
  }

  @Fixture
  @WithRoute(flag = "checkout", service = "reviews", variants = {"v1", "v2"})
  static class UnknownVariantFixture {
    @Test
    @WithVariant(flag = "checkout", variant = "v9")
    void test() {}
  }

  @Fixture
  @WithRoute(flag = "checkout", service = "reviews", variants = {"v1", "v2"})
  static class UnknownFlagFixture {
    @Test
    @WithVariant(flag = "payment", variant = "on")
    void test() {}
  }

  @Fixture
  @WithRoute(flag = "checkout", service = "Reviews", variants = {"v1", "v2"}, defaultVariant = "v3")
  static class InvalidRouteFixture {
    @Test
    void test() {}
  }

  @Fixture
  @WithRoute(flag = "checkout", service = "reviews", variants = {"v1"})
  @WithRoute(flag = "Checkout", service = "ratings", variants = {"v1"})
  static class DuplicateRouteFixture {
    @Test
    void test() {}
  }

  @Fixture
  @WithRoutesFile("testing/absent.yaml")
  static class MissingFileFixture {
    @Test
    void test() {}
  }

  @Fixture
  @WithRoutesFile("testing/broken-routes.yaml")
  static class BrokenFileFixture {
    @Test
    void test() {}
  }
}
