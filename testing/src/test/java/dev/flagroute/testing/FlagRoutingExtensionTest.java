package dev.flagroute.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.routes.FlagRoutes;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a test sees under the harness; {@link FlagRoutingExtensionFailureTest} covers what it rejects. */
@WithRoute(flag = "checkout", service = "reviews", variants = {"v1", "v2=canary"}, defaultVariant = "v1")
@WithRoute(flag = "search", service = "search", variants = {"off", " on = v2 "})
class FlagRoutingExtensionTest {
  private static final FlagDecision TEST_V2 = new FlagDecision("v2", Source.OVERRIDE, FlagRoutingExtension.TEST_REASON);
  private static FlagContext beforeAll;

  private final FlagRoutes constructed;
  private FlagContext beforeEach;
  private Thread beforeEachThread;

  FlagRoutingExtensionTest(FlagRoutes routes) {
    this.constructed = routes;
  }

  @BeforeAll
  static void seeTheClassContext(FlagContext flags) {
    assertThat(FlagContext.current()).isSameAs(flags);
    beforeAll = flags;
  }

  @BeforeEach
  void seeTheTestContext(FlagContext flags) {
    assertThat(FlagContext.current()).isSameAs(flags);
    beforeEach = flags;
    beforeEachThread = Thread.currentThread();
  }

  @Test
  void declaresRoutesFromAnnotations(FlagRoutes routes) {
    assertThat(routes.asList()).extracting(r -> r.key()).containsExactly("checkout", "search");
    assertThat(routes.get("checkout").versionOf("v2")).isEqualTo("canary");
    assertThat(routes.get("search").variants()).containsExactly(Map.entry("off", "off"), Map.entry("on", "v2"));
    assertThat(routes.get("search").defaultVariant()).as("the first variant when none is given").isEqualTo("off");
    assertThat(constructed).isEqualTo(routes);
  }

  @Test
  void runsWithEveryFlagDefaultedWhenNoVariantIsSet(FlagContext flags) {
    assertThat(FlagContext.current()).isSameAs(flags).isSameAs(beforeEach);
    assertThat(flags.decisions()).containsExactly(
        Map.entry("checkout", new FlagDecision("v1", Source.DEFAULT, FlagDecision.MISSING)),
        Map.entry("search", new FlagDecision("off", Source.DEFAULT, FlagDecision.MISSING)));
    assertThat(beforeAll.variants()).isEqualTo(flags.variants());
  }

  @Test
  @WithVariant(flag = "checkout", variant = "v2")
  void runsWithTheVariantsItSets() {
    assertThat(FlagContext.current().decision("checkout")).isEqualTo(TEST_V2);
    assertThat(FlagContext.current().variant("search")).isEqualTo("off");
    assertThat(beforeAll.variant("checkout")).as("@BeforeAll saw the class-level context").isEqualTo("v1");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  @WithVariant(flag = "search", variant = "on")
  void parameterizedInvocationsRunWithTheirVariants(int invocation) {
    assertThat(FlagContext.current().variants()).isEqualTo(Map.of("checkout", "v1", "search", "on"));
  }

  @RepeatedTest(2)
  @WithVariant(flag = "CHECKOUT", variant = "v2")
  void flagsAreMatchedIgnoringCase() {
    assertThat(FlagContext.current().variant("checkout")).isEqualTo("v2");
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @WithVariant(flag = "checkout", variant = "v2")
  void runsWithTheContextOnTheThreadThatRunsTheBody() {
    assertThat(Thread.currentThread()).isNotSameAs(beforeEachThread);
    assertThat(FlagContext.current()).isSameAs(beforeEach);
    assertThat(FlagContext.current().decision("checkout")).isEqualTo(TEST_V2);
  }

  @Test
  @WithRoute(flag = "checkout", service = "ratings", variants = {"v1", "v3"})
  @WithVariant(flag = "checkout", variant = "v3")
  void aMethodRouteReplacesTheClassRouteOfTheSameFlag(FlagRoutes routes) {
    assertThat(routes.get("checkout").service()).isEqualTo("ratings");
    assertThat(routes.asList()).extracting(r -> r.key()).containsExactly("checkout", "search");
    assertThat(FlagContext.current().variant("checkout")).isEqualTo("v3");
  }

  @Test
  @WithRoutesFile("/testing/override-routes.yaml")
  @WithVariant(flag = "payment", variant = "modern")
  void aRoutesFileAddsAndReplacesRoutes(FlagRoutes routes) {
    assertThat(routes.asList()).extracting(r -> r.key()).containsExactly("checkout", "search", "payment");
    assertThat(routes.get("checkout").variants()).containsOnlyKeys("v1", "v2", "v3");
    assertThat(FlagContext.current().variants()).isEqualTo(Map.of("checkout", "v1", "search", "off", "payment",
        "modern"));
  }

  @Nested
  @WithVariant(flag = "search", variant = "on")
  class NestedClasses {
    @Test
    void inheritTheOuterRoutesAndAddTheirVariants() {
      assertThat(FlagContext.current().variants()).isEqualTo(Map.of("checkout", "v1", "search", "on"));
    }

    @Test
    @WithVariant(flag = "search", variant = "off")
    @WithVariant(flag = "checkout", variant = "v2")
    void areOverriddenByTheirMethods() {
      assertThat(FlagContext.current().variants()).isEqualTo(Map.of("checkout", "v2", "search", "off"));
    }

    @Nested
    @WithRoute(flag = "search", service = "search", variants = {"classic", "ml"}, defaultVariant = "ml")
    class DeeperClasses {
      @Test
      void replaceOuterRoutes(FlagRoutes routes) {
        assertThat(routes.get("search").variants()).containsOnlyKeys("classic", "ml");
        assertThat(FlagContext.current().variant("search")).as("the outer variant 'on' no longer exists")
            .isEqualTo("ml");
      }

      @Test
      @WithVariant(flag = "search", variant = "classic")
      void stillTakeMethodVariants() {
        assertThat(FlagContext.current().variant("search")).isEqualTo("classic");
      }
    }
  }
}
