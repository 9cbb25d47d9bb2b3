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
            "flag 'checkout': has no variants"),
        invalid("mirror of an undeclared variant", b -> b.mirror("v3", "v3", 100),
            "flag 'checkout': variant 'v3' is mirrored but is not one of the variants [v1, v2]"),
        invalid("mirror of the default variant", b -> b.mirror("v1", "v2", 100),
            "flag 'checkout': the default variant 'v1' cannot be mirrored"),
        invalid("mirror to the serving version", b -> b.mirror("v2", "v2", 50),
            "flag 'checkout': variant 'v2' is served by version 'v2' and cannot be mirrored to it as well"),
        invalid("mirror version not a DNS label", b -> b.mirror("v2", "V3", 50),
            "flag 'checkout': variant 'v2': mirror version 'V3' must be a lowercase DNS label"),
        invalid("mirror percent zero", b -> b.mirror("v2", "v3", 0),
            "flag 'checkout': variant 'v2': mirror percent 0 must be between 1 and 100"),
        invalid("mirror percent over 100", b -> b.mirror("v2", "v3", 101),
            "flag 'checkout': variant 'v2': mirror percent 101 must be between 1 and 100"),
        invalid("mirrored twice", b -> b.mirror("v2", "v3", 10).mirror("v2", "v4", 20),
            "flag 'checkout': variant 'v2': is mirrored twice"));
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
  void aMirroredVariantIsServedByItsVersionAndCopiedToTheMirror() {
    FlagRoute dark = FlagRoute.builder("dark").service("reviews").variant("off", "v1").variant("shadow", "v1")
        .variant("on", "v2").mirror("shadow", "v3", 25).defaultVariant("off").build();
    ServiceRoutes reviews = FlagRoutes.of(CHECKOUT, dark).service("reviews");

    assertThat(dark.mirrors()).containsExactly(Map.entry("shadow", new Mirror("v3", 25)));
    assertThat(dark.mirrorOf("shadow")).isEqualTo(new Mirror("v3", 25));
    assertThat(dark.mirrorOf("on")).isNull();
    assertThat(dark.versionOf("shadow")).isEqualTo("v1");
    assertThat(reviews.versions()).as("mirror versions come last").containsExactly("v1", "v2", "v3");
    assertThat(reviews.version(flag -> flag == dark ? "shadow" : null)).isEqualTo("v1");
    assertThat(reviews.mirror(flag -> flag == dark ? "shadow" : null)).contains(new Mirror("v3", 25));
    assertThat(reviews.mirror(flag -> flag == dark ? "shadow" : "v2")).as("checkout decides: no mirror").isEmpty();
    assertThat(reviews.mirror(flag -> null)).isEmpty();
    assertThat(dark).isNotEqualTo(FlagRoute.builder("dark").service("reviews").variant("off", "v1")
        .variant("shadow", "v1").variant("on", "v2").mirror("shadow", "v3", 26).defaultVariant("off").build());
    assertThat(dark.toString()).contains("mirrors={shadow=Mirror[version=v3, percent=25]}");
    assertThatThrownBy(() -> new Mirror("v2", 0)).hasMessage("mirror percent 0 must be between 1 and 100");
    assertThatThrownBy(() -> new Mirror(null, 5)).hasMessageContaining("mirror version 'null'");
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
