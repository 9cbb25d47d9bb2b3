package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hand-written rules, evaluated with each mesh's own semantics. */
class MeshRouteEvaluatorTest {
  private static final String ISTIO = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews, namespace: shop}
      spec:
        hosts: [reviews]
        http:
        - name: exact
          match:
          - headers: {x-flag-checkout: {exact: v2}}
        - name: prefix-or-regex
          match:
          - headers: {x-flag-color: {prefix: blu}}
          - headers: {x-flag-size: {regex: "(s|m)"}}
        - name: present-and-not
          match:
          - headers: {x-tester: {}}
            withoutHeaders: {x-flag-checkout: {exact: v1}}
        - name: absent
          match:
          - withoutHeaders: {x-debug: {}}
            uri: {prefix: /api}
            method: {exact: POST}
        - name: query
          match:
          - queryParams: {canary: {exact: "1"}}
          route:
          - destination: {host: reviews, subset: v3}
        - name: uppercase-key
          match:
          - headers: {X-Flag-Upper: {exact: "on"}}
        - name: default
          route:
          - destination: {host: reviews, subset: v1}
            weight: 90
          - destination: {host: reviews, subset: v2, port: {number: 9080}}
            weight: 10
      """;

  private static MeshRequest headers(String... nameValues) {
    MeshRequest.Builder builder = MeshRequest.builder();
    for (int i = 0; i < nameValues.length; i += 2) {
      builder.header(nameValues[i], nameValues[i + 1]);
    }
    return builder.build();
  }

  private static String rule(MeshRouteEvaluator mesh, String service, MeshRequest request) {
    return mesh.route(service, request).map(MeshRoute::rule).orElse("none");
  }

  @Test
  void istioTakesTheFirstMatchingRouteWithEnvoyStringMatches() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(ISTIO, "istio.yaml");
    assertThat(mesh.format()).isEqualTo(MeshFormat.ISTIO);
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v2", "x-flag-color", "blue"))).isEqualTo("exact");
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v2x"))).isEqualTo("default");
    assertThat(rule(mesh, "reviews", headers("x-flag-color", "bluish"))).isEqualTo("prefix-or-regex");
    assertThat(rule(mesh, "reviews", headers("x-flag-size", "m"))).isEqualTo("prefix-or-regex");
    assertThat(rule(mesh, "reviews", headers("x-flag-size", "xm"))).as("regex matches the whole value")
        .isEqualTo("default");
    assertThat(rule(mesh, "reviews", headers("X-Flag-Checkout", "v2"))).as("request names are case-insensitive")
        .isEqualTo("exact");
  }

  @Test
  void istioPresenceAndWithoutHeadersFollowEnvoy() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(ISTIO, "istio.yaml");
    assertThat(rule(mesh, "reviews", headers("x-tester", "", "x-flag-checkout", "v3"))).isEqualTo("present-and-not");
    assertThat(rule(mesh, "reviews", headers("x-tester", "me", "x-flag-checkout", "v1"))).isEqualTo("default");
    assertThat(rule(mesh, "reviews", headers("x-tester", "me"))).as("withoutHeaders exact needs the header present")
        .isEqualTo("default");
    MeshRequest post = MeshRequest.builder().method("post").path("/api/cart?x=1").build();
    assertThat(rule(mesh, "reviews", post)).as("withoutHeaders {} holds when absent").isEqualTo("absent");
    MeshRequest debug = MeshRequest.builder().method("POST").path("/api").header("x-debug", "1").build();
    assertThat(rule(mesh, "reviews", debug)).isEqualTo("default");
    assertThat(rule(mesh, "reviews", MeshRequest.builder().path("/x?canary=1").build())).isEqualTo("query");
  }

  @Test
  void istioUppercaseKeysNeverMatch() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(ISTIO, "istio.yaml");
    assertThat(rule(mesh, "reviews", headers("x-flag-upper", "on"))).isEqualTo("default");
  }

  @Test
  void istioReturnsWeightedDestinations() {
    MeshRoute route = MeshRouteEvaluator.parse(ISTIO, "istio.yaml").route("reviews", headers()).orElseThrow();
    assertThat(route.resource()).isEqualTo("VirtualService shop/reviews");
    assertThat(route.destinations()).containsExactly(new MeshDestination("reviews", "v1", null, 90),
        new MeshDestination("reviews", "v2", 9080, 10));
    assertThat(route.primary().subset()).isEqualTo("v1");
    assertThat(MeshRouteEvaluator.parse(ISTIO, "i").route("reviews", headers("x-flag-checkout", "v2")).orElseThrow()
        .primary()).as("a route without destinations").isNull();
  }

  @Test
  void istioHostsResolveLikeKubernetesNamesAndWildcards() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: by-fqdn, namespace: shop}
        spec:
          hosts: [reviews.shop.svc.cluster.local]
          http: [{name: fqdn, route: [{destination: {host: reviews}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: wild}
        spec:
          hosts: ["*.example.com", "*"]
          http: [{name: wildcard}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: edge}
        spec:
          hosts: [ratings]
          gateways: [edge-gateway]
          http: [{name: gateway-only}]
        """;
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml, "hosts.yaml");
    assertThat(rule(mesh, "reviews", headers())).isEqualTo("fqdn");
    assertThat(rule(mesh, "reviews.shop", headers())).isEqualTo("fqdn");
    assertThat(rule(mesh, "reviews.other", headers())).isEqualTo("wildcard");
    assertThat(rule(mesh, "api.example.com", headers())).isEqualTo("wildcard");
    assertThat(rule(mesh, "ratings", headers())).as("bound to a gateway, not the mesh").isEqualTo("wildcard");
    assertThat(mesh.routes("reviews")).isTrue();
    assertThat(mesh.routes("ratings")).isFalse();
  }

  @Test
  void istioMergesVirtualServicesOfOneHostOldestFirst() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a-newer, creationTimestamp: "2025-02-01T00:00:00Z"}
        spec: {hosts: [reviews], http: [{name: newer}]}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: z-older, creationTimestamp: "2025-01-01T00:00:00Z"}
        spec: {hosts: [reviews], http: [{name: older, match: []}]}
        """;
    assertThat(rule(MeshRouteEvaluator.parse(yaml, "merge.yaml"), "reviews", headers())).as("match: [] matches all")
        .isEqualTo("older");
  }

  private static final String GATEWAY = """
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
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(GATEWAY, "gateway.yaml");
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
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(GATEWAY, "gateway.yaml");
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
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(GATEWAY, "gateway.yaml");
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

  @Test
  void badRulesAreReportedWithResourceAndPath() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - match:
            - headers: {x-a: {exact: a, prefix: b}}
            - headers: {x-b: {regex: "(unclosed"}}
            - headers: {x-c: {prefix: ""}}
            - sourceLabels: {app: web}
            - uri: [not, a, map]
        """;
    assertThatThrownBy(() -> MeshRouteEvaluator.parse(yaml, "bad.yaml"))
        .isInstanceOf(InvalidMeshException.class)
        .hasMessageStartingWith("bad.yaml: invalid mesh rules:")
        .hasMessageContaining("VirtualService reviews: spec.http[0].match[0].headers.x-a: a StringMatch holds exactly"
            + " one of exact, prefix or regex, found [exact, prefix]")
        .hasMessageContaining("spec.http[0].match[1].headers.x-b: not a valid RE2 regular expression")
        .hasMessageContaining("spec.http[0].match[2].headers.x-c: an empty prefix is rejected by Envoy")
        .hasMessageContaining("spec.http[0].match[3].sourceLabels: this match field is not evaluated")
        .hasMessageContaining("spec.http[0].match[4].uri: expected a mapping, found a list");
  }

  @Test
  void badYamlAndMixedFormatsAreReported() {
    assertThatThrownBy(() -> MeshRouteEvaluator.parse("a: [", "broken.yaml"))
        .hasMessageStartingWith("broken.yaml: invalid mesh rules:\n  - not valid YAML:");
    assertThatThrownBy(() -> MeshRouteEvaluator.parse("- just\n- a list\n", "list.yaml"))
        .hasMessageContaining("document 1: expected a mapping with string keys");
    assertThatThrownBy(() -> MeshRouteEvaluator.parse(ISTIO + "---\n" + GATEWAY, "mixed.yaml"))
        .hasMessageContaining("the documents mix istio rules (VirtualService) and gateway-api rules (HTTPRoute or"
            + " GRPCRoute); evaluate each format on its own with of(MeshFormat, documents)");
    List<Map<String, Object>> both = MeshYaml.read(ISTIO + "---\n" + GATEWAY, "mixed.yaml");
    assertThat(rule(MeshRouteEvaluator.of(MeshFormat.GATEWAY_API, both), "reviews", headers()))
        .isEqualTo("catch-all");
    assertThat(MeshYaml.read("kind: List\nitems:\n- {kind: A}\n- {kind: B}\n---\n", "list.yaml")).hasSize(2);
  }

  @Test
  void oneEvaluatorServesManyThreads() throws Exception {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(GATEWAY, "gateway.yaml");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          int wrong = 0;
          for (int i = 0; i < 2_000; i++) {
            boolean flagged = (i + thread) % 2 == 0;
            String service = i % 3 == 0 ? "reviews" : "reviews.shop" + i % 7;
            MeshRequest request = flagged ? headers("x-flag-checkout", "v2", "x-n", String.valueOf(i)) : headers();
            String expected = flagged ? "one-header" : "catch-all";
            wrong += expected.equals(rule(mesh, service, request)) ? 0 : 1;
          }
          return wrong;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
