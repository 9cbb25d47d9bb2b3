package dev.flagroute.mesh.internal.smi;

import static dev.flagroute.mesh.MeshFixtures.TWO_FLAGS;
import static dev.flagroute.mesh.MeshFixtures.exampleRoutes;
import static dev.flagroute.mesh.MeshFixtures.headers;
import static dev.flagroute.mesh.MeshFixtures.resource;
import static dev.flagroute.mesh.MeshFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.InvalidMeshException;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshDriftCheck;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import org.junit.jupiter.api.Test;

/**
 * The SMI format: the resources generated where the v1alpha4 specification defines the outcome,
 * what it refuses and why, and hand-written TrafficSplits evaluated as the specification says.
 */
class SmiFormatTest {
  private static final FlagRoute CHECKOUT = FlagRoute.builder("checkout").service("reviews").variant("v1", "v1")
      .variant("v2", "v2").defaultVariant("v1").build();

  @Test
  void smiOutputIsTheReferenceExample() {
    MeshOptions options = MeshOptions.builder().clearLabels().port(9080).build();
    String yaml = MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), options).yaml(MeshFormat.SMI);
    assertThat(yaml).isEqualTo(resource("example-smi.yaml"));
  }

  @Test
  void severalFlagsLeavingForOneVersionShareTheSplitAndRegexesAreAnchored() {
    FlagRoute beta = FlagRoute.builder("beta.ui").service("reviews").variant("off", "v1").variant("on", "v2")
        .variant("dark", "v1").defaultVariant("off").build();
    FlagRoutes routes = FlagRoutes.of(CHECKOUT, beta);
    String perFlag = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults()).yaml(MeshFormat.SMI);
    assertThat(perFlag).contains("""
              matches:
                - name: flag-checkout-v2
                  headers:
                    - x-flag-checkout: ^v2$
                - name: flag-beta.ui-on
                  headers:
                    - x-flag-beta.ui: ^on$
            """);
    String combined = MeshGenerator.of(routes, HeaderCodec.combined(), MeshOptions.defaults()).yaml(MeshFormat.SMI);
    assertThat(combined).contains("- x-flags: ^(?:" + HeaderCodec.combined().match(beta, "on").value() + ")$");
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(perFlag, "smi.yaml");
    assertThat(mesh.route("reviews", headers("x-flag-beta.ui", "on")).orElseThrow().primary())
        .isEqualTo(new MeshDestination("reviews-v2", null, null, 100));
    assertThat(mesh.route("reviews", headers("x-flag-checkout", "v2", "x-flag-beta.ui", "dark")).orElseThrow()
        .primary().host()).isEqualTo("reviews-v2");
    assertThat(mesh.route("reviews", headers("x-flag-checkout", "v2x")).orElseThrow())
        .satisfies(route -> assertThat(route.rule()).isEqualTo("(root Service)"))
        .satisfies(route -> assertThat(route.primary().host()).isEqualTo("reviews"));
  }

  @Test
  void whatTheSpecificationLeavesUndefinedIsRefusedSayingWhy() {
    assertThatThrownBy(() -> MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.SMI)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service 'reviews': its flags reach [v2, v3] besides the stable version v1, but an SMI"
            + " TrafficSplit sends every request it matches to the same backends, and the specification does not"
            + " define several splits for one root Service; steer it to one version besides the stable one, or use"
            + " istio, gateway-api or consul");
    FlagRoute keepsStable = FlagRoute.builder("pin").service("reviews").variant("off", "v1").variant("pinned", "v1")
        .defaultVariant("off").build();
    assertThatThrownBy(() -> MeshGenerator.of(FlagRoutes.of(keepsStable, CHECKOUT), HeaderCodec.perFlag(),
        MeshOptions.defaults()).generate(MeshFormat.SMI))
        .hasMessage("service 'reviews': flag 'pin' keeps variant 'pinned' on the stable version v1 ahead of flag"
            + " 'checkout', which leaves it; SMI matches cannot require a header to be absent, so a split cannot keep"
            + " such requests on v1; declare flag 'checkout' first, or use istio, gateway-api or consul");
    assertThat(MeshGenerator.of(FlagRoutes.of(CHECKOUT, keepsStable), HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.SMI)).as("declared after the flag that leaves, it changes nothing").isNotEmpty();
    FlagRoutes dark = FlagRoutes.of(FlagRoute.builder("search").service("search").variant("off", "v1")
        .variant("shadow", "v1").mirror("shadow", "v2", 100).defaultVariant("off").build());
    assertThatThrownBy(() -> MeshGenerator.of(dark, HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.SMI)).hasMessage("service 'search': flag 'search' mirrors variant 'shadow' to v2, but SMI"
            + " has no request mirroring; use istio or gateway-api for dark launches");
  }

  @Test
  void aServiceWhoseFlagsNeverLeaveTheStableVersionIsSplitToItAlone() {
    FlagRoute pin = FlagRoute.builder("pin").service("reviews").variant("off", "v1").variant("on", "v1")
        .defaultVariant("off").build();
    String yaml = MeshGenerator.of(FlagRoutes.of(pin), HeaderCodec.perFlag(), MeshOptions.defaults())
        .yaml(MeshFormat.SMI);
    assertThat(yaml).doesNotContain("HTTPRouteGroup").contains("""
              service: reviews
              backends:
                - service: reviews-v1
                  weight: 100
            """);
    assertThat(rule(MeshRouteEvaluator.parse(yaml, "smi.yaml"), "reviews", headers("x-flag-pin", "on")))
        .isEqualTo("(split)");
  }

  private static final String SPLIT = """
      apiVersion: v1
      kind: Service
      metadata: {name: reviews}
      spec: {selector: {app: reviews}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: reviews-v2}
      spec: {selector: {app: reviews, version: v2}}
      ---
      apiVersion: specs.smi-spec.io/v1alpha4
      kind: HTTPRouteGroup
      metadata: {name: a}
      spec:
        matches:
        - {name: api, pathRegex: /api, methods: [GET], headers: [{X-Flag-Checkout: "v2|v3", x-user: ".*"}]}
      ---
      apiVersion: specs.smi-spec.io/v1alpha4
      kind: HTTPRouteGroup
      metadata: {name: b}
      spec:
        matches:
        - {name: any, methods: ["*"], headers: [{x-flag-checkout: "v4"}]}
      ---
      apiVersion: split.smi-spec.io/v1alpha4
      kind: TrafficSplit
      metadata: {name: reviews}
      spec:
        service: reviews
        matches: [{kind: HTTPRouteGroup, name: a}, {kind: HTTPRouteGroup, name: b}, {kind: HTTPRouteGroup, name: c}]
        backends: [{service: reviews-v2, weight: 100}, {service: reviews-v9, weight: 0}]
      """;

  @Test
  void matchingRequestsAreSplitAndTheRestGoToTheRootService() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(SPLIT, "split.yaml");
    assertThat(mesh.format()).isSameAs(MeshFormat.SMI);
    MeshRequest api = MeshRequest.builder().path("/api/x").header("x-flag-checkout", "v3").header("x-user", "").build();
    assertThat(rule(mesh, "reviews", api)).as("names ignore case; ANDed; path anchored at its start").isEqualTo("(split)");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().path("/v1/api").header("x-flag-checkout", "v3")
        .header("x-user", "u").build())).isEqualTo("(root Service)");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().method("POST").path("/api").header("x-flag-checkout", "v2")
        .header("x-user", "u").build())).isEqualTo("(root Service)");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().method("DELETE").header("x-flag-checkout", "v4").build()))
        .as("groups are merged; * is any method").isEqualTo("(split)");
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v44"))).as("whole values").isEqualTo("(root Service)");
    assertThat(mesh.route("ratings", headers())).isEmpty();

    FlagRoutes routes = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews").variant("v1", "v1")
        .variant("v4", "v2").defaultVariant("v1").build());
    assertThat(MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults())
        .check(MeshYaml.read(SPLIT, "split.yaml"))).extracting(d -> d.kind() + " " + d.where() + ": " + d.message()).containsExactly(
        "MISSING_RULE service reviews (smi): a request with checkout=v1 goes to every version Service reviews selects"
            + " (no version in its selector) by rule '(root Service)' of TrafficSplit reviews, but the routes send it"
            + " to v1",
        "MISSING_RULE service reviews (smi): a request with no flag headers goes to every version Service reviews"
            + " selects (no version in its selector) by rule '(root Service)' of TrafficSplit reviews, but the routes"
            + " send it to v1",
        "UNKNOWN_VALUE TrafficSplit reviews rule '(split)': header 'x-flag-checkout' must match regex 'v2|v3', which"
            + " no variant produces (stamped values: [v1, v4])",
        "UNDEFINED_SUBSET TrafficSplit reviews: matches HTTPRouteGroup 'c', which the given files do not define",
        "UNDEFINED_SUBSET TrafficSplit reviews: splits to Service 'reviews-v9', which the given files do not define");
    assertThat(MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults())
        .check(MeshYaml.read(SPLIT, "split.yaml"))).extracting(Drift::affects).startsWith(
            "requests to reviews with checkout=v1", "requests to reviews with no flag headers");
  }

  @Test
  void whatTheSpecificationDoesNotDefineCannotBeEvaluated() {
    String twoSplits = SPLIT + """
        ---
        apiVersion: split.smi-spec.io/v1alpha4
        kind: TrafficSplit
        metadata: {name: reviews-canary}
        spec: {service: reviews, backends: [{service: reviews-v2, weight: 1.5}]}
        """;
    assertThatThrownBy(() -> MeshRouteEvaluator.parse(twoSplits.replace("headers: [{x-flag-checkout: \"v4\"}]",
        "headers: {x-flag-checkout: v4}"), "two.yaml")).isInstanceOf(InvalidMeshException.class)
        .hasMessageContaining("TrafficSplit reviews-canary: spec.service: TrafficSplit /reviews splits root Service"
            + " 'reviews' too, and the SMI specification does not define how several splits of one root Service"
            + " combine")
        .hasMessageContaining("TrafficSplit reviews-canary: spec.backends[0].weight: weights must be whole numbers"
            + " (SMI specification), found 1.5")
        .hasMessageContaining("HTTPRouteGroup b: spec.matches[0].headers: the HTTPRouteGroup CRD takes headers as a"
            + " list of one-entry maps");
  }
}
