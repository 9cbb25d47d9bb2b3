package dev.flagroute.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlagRoutesFileTest {
  private static final String VALID_YAML = """
      routes:
        - flag: checkout          # the OpenFeature flag key
          service: reviews
          default: v1
          variants:
            v1: v1
            v2: canary
        - flag: search.ranking
          service: search.shop
          default: classic
          variants: {classic: stable, ml_2: ml-2}
      """;

  private static final String VALID_JSON = """
      {"routes": [
        {"flag": "checkout", "service": "reviews", "default": "v1", "variants": {"v1": "v1", "v2": "canary"}},
        {"flag": "search.ranking", "service": "search.shop", "default": "classic",
         "variants": {"classic": "stable", "ml_2": "ml-2"}}
      ]}
      """;

  @TempDir Path dir;

  @Test
  void loadsYamlInDeclarationOrder() throws IOException {
    FlagRoutes routes = FlagRoutesFile.load(write("routes.yaml", VALID_YAML));

    assertThat(routes.asList()).extracting(FlagRoute::key).containsExactly("checkout", "search.ranking");
    FlagRoute checkout = routes.get("checkout");
    assertThat(checkout.service()).isEqualTo("reviews");
    assertThat(checkout.defaultVariant()).isEqualTo("v1");
    assertThat(checkout.variants()).containsExactly(Map.entry("v1", "v1"), Map.entry("v2", "canary"));
    assertThat(routes.get("search.ranking").versionOf("ml_2")).isEqualTo("ml-2");
    assertThat(routes.services()).containsExactly("reviews", "search.shop");
  }

  @Test
  void jsonAndYamlGiveTheSameRoutes() throws IOException {
    assertThat(FlagRoutesFile.load(write("routes.json", VALID_JSON)))
        .isEqualTo(FlagRoutesFile.load(write("routes.yaml", VALID_YAML)))
        .isEqualTo(FlagRoutes.of(
            FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "canary")
                .defaultVariant("v1").build(),
            FlagRoute.builder("search.ranking").service("search.shop").variant("classic", "stable")
                .variant("ml_2", "ml-2").defaultVariant("classic").build()));
  }

  @Test
  void aVariantCanBeMirroredToAnotherVersion() {
    FlagRoutes routes = FlagRoutesFile.parse("""
        routes:
          - flag: search
            service: search
            default: off
            variants:
              off: v1
              shadow: {version: v1, mirror: v2, percent: 10}
              full-shadow: {version: v1, mirror: v2}
              on: {version: v2}
        """, "dark.yaml");

    FlagRoute search = routes.get("search");
    assertThat(search.variants()).containsExactly(Map.entry("off", "v1"), Map.entry("shadow", "v1"),
        Map.entry("full-shadow", "v1"), Map.entry("on", "v2"));
    assertThat(search.mirrors()).containsExactly(Map.entry("shadow", new Mirror("v2", 10)),
        Map.entry("full-shadow", new Mirror("v2", 100)));
    assertThat(routes).isEqualTo(FlagRoutes.of(FlagRoute.builder("search").service("search").variant("off", "v1")
        .variant("shadow", "v1").variant("full-shadow", "v1").variant("on", "v2").mirror("shadow", "v2", 10)
        .mirror("full-shadow", "v2", 100).defaultVariant("off").build()));
  }

  @Test
  void anEmptyRoutesListIsNoRoutes() {
    assertThat(FlagRoutesFile.parse("routes: []", "empty.yaml")).isEqualTo(FlagRoutes.empty());
  }

  static Stream<Arguments> invalidRoutes() {
    return Stream.of(
        invalid("bad key characters", route("check out", "reviews", "v1", "{v1: v1}"), "check out",
            "key must be 1-63 letters"),
        invalid("key too long", route("k".repeat(64), "reviews", "v1", "{v1: v1}"), "k".repeat(64),
            "key must be 1-63 letters"),
        invalid("bad variant characters", route("checkout", "reviews", "v1", "{v1: v1, 'v 2': v2}"), "checkout",
            "variant 'v 2' must be"),
        invalid("variant ending in a dash", route("checkout", "reviews", "v1", "{v1: v1, v2-: v2}"), "checkout",
            "variant 'v2-' must be"),
        invalid("bad version characters", route("checkout", "reviews", "v1", "{v1: v1, v2: V2}"), "checkout",
            "version 'V2' of variant 'v2' must be a lowercase DNS label"),
        invalid("missing version", route("checkout", "reviews", "v1", "{v1: v1, v2: }"), "checkout",
            "variant 'v2' has no version label"),
        invalid("bad service characters", route("checkout", "Reviews_Svc", "v1", "{v1: v1}"), "checkout",
            "service 'Reviews_Svc' must be a lowercase DNS name"),
        invalid("missing service", "routes:\n  - {flag: checkout, default: v1, variants: {v1: v1}}", "checkout",
            "has no service"),
        invalid("duplicate keys", "routes:\n" + route("checkout", "reviews", "v1", "{v1: v1}").substring(8)
            + route("checkout", "ratings", "v1", "{v1: v1}").substring(8), "checkout", "declared twice"),
        invalid("keys equal ignoring case", "routes:\n" + route("checkout", "reviews", "v1", "{v1: v1}").substring(8)
            + route("Checkout", "ratings", "v1", "{v1: v1}").substring(8), "Checkout",
            "shares its header with flag 'checkout'"),
        invalid("default not among variants", route("checkout", "reviews", "v3", "{v1: v1, v2: v2}"), "checkout",
            "default variant 'v3' is not among the variants [v1, v2]"),
        invalid("missing default", "routes:\n  - {flag: checkout, service: reviews, variants: {v1: v1}}", "checkout",
            "has no default variant"),
        invalid("empty variants", route("checkout", "reviews", "v1", "{}"), "checkout", "has no variants"),
        invalid("missing variants", "routes:\n  - {flag: checkout, service: reviews, default: v1}", "checkout",
            "has no variants"),
        invalid("variants as a list", route("checkout", "reviews", "v1", "[v1, v2]"), "checkout",
            "'variants' must map each variant to its version label"),
        invalid("unknown field", "routes:\n  - {flag: checkout, service: reviews, default: v1, variants: {v1: v1},"
            + " weight: 50}", "checkout", "unknown field 'weight'"),
        invalid("missing flag key", "routes:\n  - {service: reviews, default: v1, variants: {v1: v1}}", "routes[0]",
            "has no flag key"),
        invalid("route not a mapping", "routes:\n  - checkout", "routes[0]", "expected a mapping"),
        invalid("mirror of the default", route("checkout", "reviews", "v1", "{v1: {version: v1, mirror: v2}, v2: v2}"),
            "checkout", "the default variant 'v1' cannot be mirrored"),
        invalid("mirror percent as text", route("checkout", "reviews", "v1",
            "{v1: v1, v2: {version: v1, mirror: v2, percent: '50%'}}"), "checkout",
            "variant 'v2': 'percent' must be a whole number from 1 to 100, found '50%'"),
        invalid("mirror percent out of range", route("checkout", "reviews", "v1",
            "{v1: v1, v2: {version: v1, mirror: v2, percent: 0}}"), "checkout",
            "variant 'v2': mirror percent 0 must be between 1 and 100"),
        invalid("percent without mirror", route("checkout", "reviews", "v1", "{v1: v1, v2: {version: v2, percent: 5}}"),
            "checkout", "variant 'v2': 'percent' needs a 'mirror' version"),
        invalid("unknown variant field", route("checkout", "reviews", "v1", "{v1: v1, v2: {version: v2, weight: 5}}"),
            "checkout", "variant 'v2': unknown field 'weight' (expected version, mirror, percent, ramp)"),
        invalid("variant mapping without version", route("checkout", "reviews", "v1", "{v1: v1, v2: {mirror: v3}}"),
            "checkout", "variant 'v2' has no version label"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRoutes")
  void eachInvalidRouteFailsWithOneMessageNamingFileFlagAndProblem(String name, String yaml, String flag,
      String problem) throws IOException {
    Path file = write("flag-routes.yaml", yaml);

    InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> FlagRoutesFile.load(file));

    assertThat(e).as("%s must be rejected", name).isNotNull();
    assertThat(e.source()).isEqualTo(file.toString());
    assertThat(e.problems()).as("exactly one problem for: %s", name).hasSize(1);
    assertThat(e.problems().get(0)).contains(flag).contains(problem);
    assertThat(e.getMessage()).startsWith(file.toString()).contains(flag).contains(problem);
  }

  @Test
  void theSameProblemsAreFoundInJson() throws IOException {
    Path file = write("flag-routes.json", """
        {"routes": [{"flag": "checkout", "service": "reviews", "default": "v3", "variants": {"v1": "v1"}}]}
        """);

    assertThatThrownBy(() -> FlagRoutesFile.load(file))
        .isInstanceOf(InvalidRoutesException.class)
        .hasMessage(file + ": invalid flag routes:\n  - flag 'checkout': default variant 'v3' is not among the"
            + " variants [v1]");
  }

  @Test
  void everyProblemOfEveryFlagIsListedInOneMessage() throws IOException {
    Path file = write("flag-routes.yaml", route("checkout", "Reviews", "v1", "{v1: v1}")
        + route("search", "search", "fast", "{slow: slow}").substring(8));

    InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> FlagRoutesFile.load(file));

    assertThat(e.problems()).containsExactly(
        "flag 'checkout': service 'Reviews' must be a lowercase DNS name such as 'reviews'",
        "flag 'search': default variant 'fast' is not among the variants [slow]");
  }

  @Test
  void notYamlNamesTheFileAndThePosition() throws IOException {
    Path file = write("broken.yaml", "routes:\n  - {flag: checkout, service: [reviews\n");

    InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> FlagRoutesFile.load(file));

    assertThat(e.problems()).singleElement().asString().startsWith("not valid YAML or JSON").contains("line");
    assertThat(e.getMessage()).startsWith(file.toString());
  }

  @Test
  void duplicateMappingKeysAreRejectedNamingTheKey() throws IOException {
    Path file = write("dup.yaml", "routes:\n  - flag: checkout\n    service: reviews\n    default: v1\n"
        + "    variants:\n      v1: v1\n      v1: v2\n");

    InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> FlagRoutesFile.load(file));

    assertThat(e.problems()).singleElement().asString().contains("duplicate key v1").contains(file.toString());
  }

  @Test
  void aDocumentWithoutRoutesListIsRejected() {
    assertThatThrownBy(() -> FlagRoutesFile.parse("just some text", "plain.txt"))
        .isInstanceOf(InvalidRoutesException.class)
        .hasMessage("plain.txt: invalid flag routes:\n  - expected a top-level 'routes:' list");
    assertThatThrownBy(() -> FlagRoutesFile.parse("route: []", "typo.yaml"))
        .hasMessageContaining("expected a top-level 'routes:' list");
  }

  @Test
  void unknownTopLevelFieldsAreRejected() {
    assertThatThrownBy(() -> FlagRoutesFile.parse("routes: []\nversion: 2", "extra.yaml"))
        .isInstanceOf(InvalidRoutesException.class)
        .hasMessage("extra.yaml: invalid flag routes:\n  - unknown top-level field 'version' (expected only 'routes')");
  }

  @Test
  void filesOverOneMebibyteAreRejectedUnread() throws IOException {
    Path file = write("huge.yaml", "#".repeat((1 << 20) + 1));

    assertThatThrownBy(() -> FlagRoutesFile.load(file))
        .isInstanceOf(InvalidRoutesException.class)
        .hasMessageContaining("larger than 1 MiB");
  }

  @Test
  void aMissingFileIsAnIoError() {
    assertThatThrownBy(() -> FlagRoutesFile.load(dir.resolve("absent.yaml")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("absent.yaml");
  }

  @Test
  void aliasBombsAreRejected() {
    String bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        + "routes: [*c]\n";

    assertThatThrownBy(() -> FlagRoutesFile.parse(bomb, "bomb.yaml"))
        .isInstanceOf(InvalidRoutesException.class)
        .hasMessageContaining("not valid YAML or JSON");
  }

  private static Arguments invalid(String name, String yaml, String flag, String problem) {
    return Arguments.of(name, yaml, flag, problem);
  }

  private static String route(String flag, String service, String defaultVariant, String variants) {
    return "routes:\n  - flag: '" + flag + "'\n    service: '" + service + "'\n    default: '" + defaultVariant
        + "'\n    variants: " + variants + "\n";
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
