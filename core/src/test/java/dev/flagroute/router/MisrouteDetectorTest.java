package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.Misroute;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.support.TestRoutes;
import org.junit.jupiter.api.Test;

class MisrouteDetectorTest {
  private static final FlagRoute RATINGS = FlagRoute.builder("ratings")
      .service("reviews").variant("plain", "v1").variant("stars", "v3").defaultVariant("plain").build();
  private static final FlagRoutes ROUTES = FlagRoutes.of(TestRoutes.CHECKOUT, TestRoutes.SEARCH, RATINGS);

  private static FlagContext.Builder context() {
    return FlagContext.builder(ROUTES);
  }

  @Test
  void aCarriedVariantServedByAnotherVersionIsAMisroute() {
    MisrouteDetector v1 = MisrouteDetector.of(ROUTES, "reviews", "v1");

    assertThat(v1.check(context().relayed("checkout", "v2").build()))
        .contains(new Misroute("reviews", "v1", "checkout", "v2", "v2"));
    assertThat(v1.check(context().relayed("checkout", "v1").build())).isEmpty();
    assertThat(MisrouteDetector.of(ROUTES, "reviews", "v2").check(context().relayed("checkout", "v2").build())).isEmpty();
  }

  @Test
  void onlyVariantsTheMeshRoutedOnAreChecked() {
    MisrouteDetector v1 = MisrouteDetector.of(ROUTES, "reviews", "v1");

    assertThat(v1.check(context().evaluated("checkout", "v2", "TARGETING_MATCH").build())).isEmpty();
    assertThat(v1.check(context().fillDefaults("MISSING").build())).isEmpty();
    assertThat(v1.check(FlagContext.empty())).isEmpty();
    assertThat(v1.check(context().relayed("search", "on").build())).as("another service's flag").isEmpty();
  }

  @Test
  void withSeveralFlagsOnOneServiceTheFirstFlaggedOneDecidesAsInTheMesh() {
    FlagContext both = context().relayed("checkout", "v2").relayed("ratings", "stars").build();

    assertThat(MisrouteDetector.of(ROUTES, "reviews", "v2").check(both)).isEmpty();
    assertThat(MisrouteDetector.of(ROUTES, "reviews", "v3").check(both))
        .as("the mesh sends it to the first flagged flag's version")
        .contains(new Misroute("reviews", "v3", "checkout", "v2", "v2"));
    assertThat(MisrouteDetector.of(ROUTES, "reviews", "v1").check(both))
        .contains(new Misroute("reviews", "v1", "checkout", "v2", "v2"));

    FlagContext flaggedAndDefault = context().relayed("checkout", "v1").relayed("ratings", "stars").build();
    assertThat(MisrouteDetector.of(ROUTES, "reviews", "v1").check(flaggedAndDefault))
        .as("the flagged rule wins over the default route")
        .contains(new Misroute("reviews", "v1", "ratings", "stars", "v3"));

    FlagContext defaultsOnly = context().relayed("checkout", "v1").relayed("ratings", "plain").build();
    assertThat(MisrouteDetector.of(ROUTES, "reviews", "v1").check(defaultsOnly)).isEmpty();
    assertThat(MisrouteDetector.of(ROUTES, "reviews", "v3").check(defaultsOnly))
        .contains(new Misroute("reviews", "v3", "checkout", "v1", "v1"));
  }

  @Test
  void worksOnContextsOfOtherRouteSetsByKey() {
    FlagContext narrower = FlagContext.builder(FlagRoutes.of(TestRoutes.CHECKOUT)).relayed("checkout", "v2").build();

    assertThat(MisrouteDetector.of(ROUTES, "reviews", "v1").check(narrower))
        .contains(new Misroute("reviews", "v1", "checkout", "v2", "v2"));
  }

  @Test
  void aServiceNoFlagSteersHasNothingToCheck() {
    assertThat(MisrouteDetector.of(ROUTES, "ratings", "v1")).isNull();
  }

  @Test
  void rejectsNamesThatAreNotServicesOrVersions() {
    assertThatThrownBy(() -> MisrouteDetector.of(ROUTES, "Reviews", "v1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MisrouteDetector.of(ROUTES, "reviews", "V1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MisrouteDetector.of(ROUTES, "reviews", null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aShadowAtTheMirrorVersionOrTheRoutedOneIsNoMisrouteAndElsewhereItIs() {
    FlagRoute dark = FlagRoute.builder("dark").service("ratings").variant("off", "v1").variant("on", "v1")
        .mirror("on", "v2", 100).defaultVariant("off").build();
    FlagRoutes routes = FlagRoutes.of(dark);
    FlagContext user = FlagContext.builder(routes).relayed("dark", "on").build();
    FlagContext shadow = user.asShadow();

    assertThat(MisrouteDetector.of(routes, "ratings", "v2").check(shadow)).as("the mirrored copy").isEmpty();
    assertThat(MisrouteDetector.of(routes, "ratings", "v1").check(shadow))
        .as("a call made from a shadow elsewhere, routed like any other").isEmpty();
    assertThat(MisrouteDetector.of(routes, "ratings", "v3").check(shadow))
        .contains(new Misroute("ratings", "v3", "dark", "on", "v2"));
    assertThat(MisrouteDetector.of(routes, "ratings", "v2").check(user))
        .as("users' requests never reach the mirror").contains(new Misroute("ratings", "v2", "dark", "on", "v1"));
  }
}
