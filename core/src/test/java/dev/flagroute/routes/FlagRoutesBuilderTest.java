package dev.flagroute.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlagRoutesBuilderTest {
  private static final FlagRoute CHECKOUT = FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build();

  @Test
  void buildsAnImmutableRoute() {
    assertThat(CHECKOUT.key()).isEqualTo("checkout");
    assertThat(CHECKOUT.service()).isEqualTo("reviews");
    assertThat(CHECKOUT.defaultVariant()).isEqualTo("v1");
    assertThat(CHECKOUT.hasVariant("v2")).isTrue();
    assertThat(CHECKOUT.hasVariant("V2")).as("variants are exact header values").isFalse();
    assertThat(CHECKOUT.versionOf("v2")).isEqualTo("v2");
    assertThat(CHECKOUT.versionOf("v3")).isNull();
    assertThatThrownBy(() -> CHECKOUT.variants().put("v3", "v3")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void acceptsTheWidestLegalNames() {
    FlagRoute route = FlagRoute.builder("A.b-" + "c".repeat(59)).service("reviews.shop.svc.cluster.local")
        .variant("Dark_Launch.2-b", "v2-" + "b".repeat(60)).defaultVariant("Dark_Launch.2-b").build();

    assertThat(route.key()).hasSize(63);
  }

  static Stream<Arguments> invalidRoutes() {
    return Stream.of(
        invalid("bad key characters", b -> FlagRoute.builder("check_out").service("reviews").variant("v1", "v1")
            .defaultVariant("v1"), "flag 'check_out': key must be"),
        invalid("key starting with a dash", b -> FlagRoute.builder("-checkout").service("reviews")
            .variant("v1", "v1").defaultVariant("v1"), "flag '-checkout': key must be"),
        invalid("bad variant characters", b -> b.variant("v/3", "v3"), "flag 'checkout': variant 'v/3' must be"),
        invalid("variant too long", b -> b.variant("v".repeat(64), "v3"), "flag 'checkout': variant '" + "v".repeat(64) + "' must be"),
        invalid("bad version characters", b -> b.variant("v3", "v3.1"),
            "flag 'checkout': version 'v3.1' of variant 'v3' must be a lowercase DNS label"),
        invalid("null version", b -> b.variant("v3", null), "flag 'checkout': variant 'v3' has no version label"),
        invalid("bad service characters", b -> b.service("reviews svc"), "flag 'checkout': service 'reviews svc'"),
        invalid("no service", b -> b.service(null), "flag 'checkout': has no service"),
        invalid("duplicate variant", b -> b.variant("v1", "v1"), "flag 'checkout': variant 'v1' is declared twice"),
        invalid("default not among variants", b -> b.defaultVariant("v9"),
            "flag 'checkout': default variant 'v9' is not among the variants [v1, v2]"),
        invalid("no default", b -> b.defaultVariant(null), "flag 'checkout': has no default variant"),
        invalid("empty variants", b -> FlagRoute.builder("checkout").service("reviews").defaultVariant("v1"),
            "flag 'checkout': has no variants"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRoutes")
  void eachInvalidDefinitionFailsWithOneProblemNamingTheFlag(String name, UnaryOperator<FlagRoute.Builder> change,
      String problem) {
    FlagRoute.Builder builder = change.apply(FlagRoute.builder("checkout").service("reviews")
        .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1"));

    InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, builder::build);

    assertThat(e).as(name).isNotNull();
    assertThat(e.source()).isEqualTo("builder");
    assertThat(e.problems()).singleElement().asString().startsWith(problem);
    assertThat(e.getMessage()).isEqualTo("builder: invalid flag routes:\n  - " + e.problems().get(0));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class,
        () -> FlagRoute.builder("checkout").service("Reviews").variant("v 1", "V1").defaultVariant("v2").build());

    assertThat(e.problems()).hasSize(4);
  }

  @Test
  void routesAreIndexedByKeyIgnoringCase() {
    FlagRoute search = FlagRoute.builder("Search").service("search").variant("on", "v2").variant("off", "v1")
        .defaultVariant("off").build();
    FlagRoutes routes = FlagRoutes.of(CHECKOUT, search);

    assertThat(routes.indexOf("checkout")).isZero();
    assertThat(routes.indexOf("SEARCH")).isEqualTo(1);
    assertThat(routes.get("search")).isSameAs(search);
    assertThat(routes.indexOf("missing")).isEqualTo(-1);
    assertThat(routes.indexOf(null)).isEqualTo(-1);
    assertThat(routes.service("search").flags()).containsExactly(search);
    assertThat(routes.service("reviews").flags()).containsExactly(CHECKOUT);
    assertThat(routes.service("missing")).isNull();
    assertThat(routes.size()).isEqualTo(2);
    assertThat(routes).containsExactly(CHECKOUT, search);
  }

  @Test
  void flagsOfOneServiceMustAgreeOnItsStableVersion() {
    FlagRoute other = FlagRoute.builder("b").service("reviews").variant("old", "v0").variant("new", "v2")
        .defaultVariant("old").build();
    assertThatThrownBy(() -> FlagRoutes.of(CHECKOUT, other))
        .isInstanceOf(InvalidRoutesException.class)
        .hasMessageContaining("flag 'b': its default variant 'old' maps to version 'v0', but flag 'checkout' makes"
            + " 'v1' the stable version of service 'reviews'");
  }

  @Test
  void theFirstActiveFlagOfAServiceDecidesItsVersion() {
    FlagRoute ratings = FlagRoute.builder("ratings").service("reviews").variant("plain", "v1").variant("stars", "v3")
        .defaultVariant("plain").build();
    ServiceRoutes reviews = FlagRoutes.of(CHECKOUT, ratings).service("reviews");
    Map<String, String> both = Map.of("checkout", "v2", "ratings", "stars");
    Map<String, String> second = Map.of("checkout", "v1", "ratings", "stars");

    assertThat(reviews.stableVersion()).isEqualTo("v1");
    assertThat(reviews.versions()).containsExactly("v1", "v2", "v3");
    assertThat(reviews.version(flag -> both.get(flag.key()))).isEqualTo("v2");
    assertThat(reviews.version(flag -> second.get(flag.key()))).isEqualTo("v3");
    assertThat(reviews.decidingFlag(flag -> second.get(flag.key()))).contains(ratings);
    assertThat(reviews.version(flag -> null)).isEqualTo("v1");
    assertThat(reviews.version(flag -> "no-such-variant")).as("an unknown value matches no rule").isEqualTo("v1");
  }

  @Test
  void duplicateKeysAreRejected() {
    assertThatThrownBy(() -> FlagRoutes.of(CHECKOUT, CHECKOUT))
        .isInstanceOf(InvalidRoutesException.class)
        .hasMessage("builder: invalid flag routes:\n  - flag 'checkout': declared twice");
  }

  @Test
  void keysEqualIgnoringCaseAreRejectedBecauseTheyWouldShareAHeader() {
    FlagRoute upper = FlagRoute.builder("CHECKOUT").service("ratings").variant("v1", "v1").defaultVariant("v1")
        .build();

    assertThatThrownBy(() -> FlagRoutes.of(List.of(CHECKOUT, upper)))
        .isInstanceOf(InvalidRoutesException.class)
        .hasMessage("builder: invalid flag routes:\n  - flag 'CHECKOUT': shares its header with flag 'checkout'"
            + " (header names ignore case)");
  }

  private static Arguments invalid(String name, UnaryOperator<FlagRoute.Builder> change, String problem) {
    return Arguments.of(name, change, problem);
  }
}
