package dev.flagroute.mesh.gateway;

import static dev.flagroute.mesh.MeshFixtures.TWO_FLAGS;
import static dev.flagroute.mesh.MeshFixtures.exampleRoutes;
import static dev.flagroute.mesh.MeshFixtures.flag;
import static dev.flagroute.mesh.MeshFixtures.headers;
import static dev.flagroute.mesh.MeshFixtures.resource;
import static dev.flagroute.mesh.MeshFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Gateway API format: the per-version Services and HTTPRoutes or GRPCRoutes generated for
 * routes, and hand-written routes evaluated with the specification's precedence.
 */
class GatewayApiFormatTest {
  @Test
  void gatewayApiOutputIsTheReferenceExample() {
    MeshOptions options = MeshOptions.builder().clearLabels().port(9080).build();
    String yaml = MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), options).yaml(MeshFormat.GATEWAY_API);
    assertThat(yaml).isEqualTo(resource("example-gateway-api.yaml"));
  }

  @Test
  void gatewayApiCombinationRulesCarryMoreHeaderMatches() {
    String yaml = MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(), MeshOptions.defaults())
        .yaml(MeshFormat.GATEWAY_API);
    assertThat(yaml).contains("""
              rules:
                - name: combo-2-to-v2
                  matches:
                    - headers:
                        - name: x-flag-checkout
                          type: Exact
                          value: v2
                        - name: x-flag-ratings
                          type: Exact
                          value: 'on'
                  backendRefs:
                    - name: reviews-v2
                      port: 80
                - name: flag-to-v2
            """);
  }

  @Test
  void sharedHeaderCodecsMatchMembersByRegexInDeclarationOrder() {
    String yaml = MeshGenerator.of(TWO_FLAGS, HeaderCodec.baggage(), MeshOptions.defaults())
        .yaml(MeshFormat.GATEWAY_API);
    assertThat(yaml).doesNotContain("combo-").contains("""
                - name: flag-to-v2
                  matches:
                    - headers:
                        - name: baggage
                          type: RegularExpression
                          value: (.*,)?[ \\t]*flag\\.checkout[ \\t]*=[ \\t]*v2[ \\t]*(;[^,]*)?(,.*)?
                  backendRefs:
                    - name: reviews-v2
                      port: 80
                - name: flag-to-v3
            """);
  }

  @Test
  void gatewayApiNeedsPlainServiceNames() {
    FlagRoutes routes = FlagRoutes.of(flag("a", "reviews.shop"));
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults());
    assertThat(generator.yaml(MeshFormat.ISTIO)).contains("host: reviews.shop");
    assertThatThrownBy(() -> generator.generate(MeshFormat.GATEWAY_API))
        .hasMessageContaining("service name 'reviews.shop' is not a Kubernetes Service name");
  }

  @Test
  void gatewayApiLimitsAreReportedNotExceeded() {
    FlagRoute.Builder many = FlagRoute.builder("many").service("reviews").variant("v0", "v0").defaultVariant("v0");
    for (int i = 1; i <= 16; i++) {
      many.variant("v" + i, "v" + i);
    }
    MeshGenerator generator = MeshGenerator.of(FlagRoutes.of(many.build()), HeaderCodec.perFlag(),
        MeshOptions.defaults());
    assertThat(generator.generate(MeshFormat.ISTIO)).hasSize(2);
    assertThatThrownBy(() -> generator.generate(MeshFormat.GATEWAY_API))
        .hasMessageContaining("Gateway API allows at most 16 rules per route, but its 1 flags need 17 rules");
  }

  private static final String HTTP_ROUTES = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: reviews}
      spec:
        parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
        rules:
        - name: catch-all
          backendRefs: [{name: reviews-v1, port: 9080}]
        - name: one-header
          matches:
          - headers: [{name: X-Flag-Checkout, value: v2}]
          backendRefs: [{name: reviews-v2, port: 9080}]
        - name: two-headers
          matches:
          - headers:
            - {name: x-flag-checkout, value: v2}
            - {name: x-flag-ratings, type: RegularExpression, value: "o(n|ff)"}
          backendRefs: [{name: reviews-v3, port: 9080, weight: 5}]
        - name: tie-later
          matches:
          - headers: [{name: x-flag-ratings, value: "on"}]
          backendRefs: [{name: reviews-v4, port: 9080}]
        - name: exact-path
          matches:
          - path: {type: Exact, value: /health}
          backendRefs: [{name: reviews-v5, namespace: ops, port: 9080}]
        - name: long-prefix
          matches:
          - path: {type: PathPrefix, value: /api/}
            method: GET
          backendRefs: [{name: reviews-v6, port: 9080}]
        - name: duplicate-name
          matches:
          - headers: [{name: x-dup, value: a}, {name: X-Dup, value: b}]
          backendRefs: [{name: reviews-v7, port: 9080}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: at-the-edge}
      spec:
        parentRefs: [{name: public-gateway}]
        rules: [{backendRefs: [{name: elsewhere, port: 80}]}]
      """;

  @Test
  void gatewayApiPrefersMoreHeaderMatchesWhateverTheRuleOrder() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(HTTP_ROUTES, "gateway.yaml");
    assertThat(mesh.format()).isEqualTo(MeshFormat.GATEWAY_API);
    assertThat(rule(mesh, "reviews", headers())).isEqualTo("catch-all");
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v2"))).isEqualTo("one-header");
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v2", "x-flag-ratings", "on")))
        .isEqualTo("two-headers");
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v2", "x-flag-ratings", "onx")))
        .as("regular expressions match the whole value").isEqualTo("one-header");
    assertThat(mesh.route("reviews", headers("x-flag-checkout", "v2", "x-flag-ratings", "off")).orElseThrow()
        .destinations()).containsExactly(new MeshDestination("reviews-v3", null, 9080, 5));
  }

  @Test
  void gatewayApiRanksPathThenMethodThenHeadersAndBreaksTiesByRuleOrder() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(HTTP_ROUTES, "gateway.yaml");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().path("/health").header("x-flag-checkout", "v2").build()))
        .as("an exact path beats header matches").isEqualTo("exact-path");
    assertThat(mesh.route("reviews", MeshRequest.builder().path("/health").build()).orElseThrow().primary().host())
        .isEqualTo("reviews-v5.ops");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().path("/api/x").header("x-flag-checkout", "v2").build()))
        .as("a longer prefix beats header matches").isEqualTo("long-prefix");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().path("/apix").header("x-flag-checkout", "v2").build()))
        .as("prefixes match whole segments").isEqualTo("one-header");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().method("POST").path("/api/x").build()))
        .isEqualTo("catch-all");
    assertThat(rule(mesh, "reviews", headers("x-flag-ratings", "on", "x-dup", "a")))
        .as("equal rank: the earlier rule").isEqualTo("tie-later");
    assertThat(rule(mesh, "reviews", headers("x-dup", "a"))).as("a repeated name counts once, the first")
        .isEqualTo("duplicate-name");
    assertThat(rule(mesh, "reviews", headers("x-dup", "b"))).isEqualTo("catch-all");
  }

  @Test
  void gatewayApiIgnoresRoutesOfGatewaysAndBreaksRouteTiesByAgeThenName() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(HTTP_ROUTES, "gateway.yaml");
    assertThat(mesh.routes("public-gateway")).isFalse();
    assertThat(mesh.route("elsewhere", headers())).isEmpty();
    String twoRoutes = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: b, namespace: shop}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews}]
          rules: [{name: from-b, matches: [{headers: [{name: x-a, value: "1"}]}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: a, namespace: shop}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews}]
          rules: [{name: from-a, matches: [{headers: [{name: x-b, value: "1"}]}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: z, namespace: shop, creationTimestamp: "2020-01-01T00:00:00Z"}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews}]
          rules: [{name: from-old-z, matches: [{headers: [{name: x-c, value: "1"}]}]}]
        """;
    MeshRouteEvaluator routes = MeshRouteEvaluator.parse(twoRoutes, "ties.yaml");
    assertThat(rule(routes, "reviews.shop", headers("x-a", "1", "x-b", "1"))).as("by namespace/name")
        .isEqualTo("from-a");
    assertThat(rule(routes, "reviews.shop", headers("x-a", "1", "x-b", "1", "x-c", "1"))).as("the oldest route")
        .isEqualTo("from-old-z");
  }

  @Test
  void grpcRoutesMatchServiceAndMethodAndAnswerGrpcRequests() {
    String yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: ratings}
        spec:
          parentRefs: [{group: "", kind: Service, name: ratings, port: 50051}]
          rules:
          - name: by-header
            matches: [{headers: [{name: x-flag-stars, value: "5"}]}]
            backendRefs: [{name: ratings-v2, port: 50051}]
          - name: by-method
            matches: [{method: {service: shop.Ratings, method: Get}}]
            backendRefs: [{name: ratings-v3, port: 50051}]
          - name: by-regex
            matches: [{method: {type: RegularExpression, method: "List.*"}}]
          - backendRefs: [{name: ratings-v1, port: 50051}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: ratings-http}
        spec:
          parentRefs: [{group: "", kind: Service, name: ratings}]
          rules: [{name: http}]
        """;
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml, "grpc.yaml");
    MeshRequest.Builder grpc = MeshRequest.builder().method("POST").header("content-type", "application/grpc");
    assertThat(rule(mesh, "ratings", grpc.path("/shop.Ratings/Get").header("x-flag-stars", "5").build()))
        .as("more service characters beat header matches").isEqualTo("by-method");
    grpc = MeshRequest.builder().method("POST").header("content-type", "application/grpc+proto");
    assertThat(rule(mesh, "ratings", grpc.path("/shop.Ratings/ListAll").header("x-flag-stars", "5").build()))
        .isEqualTo("by-regex");
    assertThat(rule(mesh, "ratings", MeshRequest.builder().header("content-type", "application/grpc")
        .path("/shop.Ratings/Put").build())).isEqualTo("spec.rules[3]");
    assertThat(rule(mesh, "ratings", headers("x-flag-stars", "5"))).as("plain HTTP").isEqualTo("http");
  }
}
