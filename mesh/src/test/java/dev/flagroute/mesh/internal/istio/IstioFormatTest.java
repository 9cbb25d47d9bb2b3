package dev.flagroute.mesh.internal.istio;

import static dev.flagroute.mesh.MeshFixtures.TWO_FLAGS;
import static dev.flagroute.mesh.MeshFixtures.exampleRoutes;
import static dev.flagroute.mesh.MeshFixtures.flag;
import static dev.flagroute.mesh.MeshFixtures.headers;
import static dev.flagroute.mesh.MeshFixtures.resource;
import static dev.flagroute.mesh.MeshFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.InvalidMeshException;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRoute;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Istio format: the DestinationRules and VirtualServices generated for routes, and hand-written
 * VirtualServices evaluated first match first with Envoy's string matches.
 */
class IstioFormatTest {
  @Test
  void istioOutputIsTheReferenceExample() {
    MeshOptions options = MeshOptions.builder().clearLabels().build();
    String yaml = MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), options).yaml(MeshFormat.ISTIO);
    assertThat(yaml).isEqualTo(resource("example-istio.yaml"));
  }

  @Test
  void aMirroredVariantsRouteMirrorsToTheMirrorsSubset() {
    FlagRoutes dark = FlagRoutes.of(
        FlagRoute.builder("search").service("reviews").variant("off", "v1").variant("shadow", "v1")
            .mirror("shadow", "v3", 25).defaultVariant("off").build(),
        FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
            .build());
    String yaml = MeshGenerator.of(dark, HeaderCodec.perFlag(), MeshOptions.builder().port(9080).build())
        .yaml(MeshFormat.ISTIO);
    assertThat(yaml).contains("""
                - name: flag-search-shadow
                  match:
                    - headers:
                        x-flag-search:
                          exact: shadow
                  route:
                    - destination:
                        host: reviews
                        subset: v1
                        port:
                          number: 9080
                  mirrors:
                    - destination:
                        host: reviews
                        subset: v3
                        port:
                          number: 9080
                      percentage:
                        value: 25
            """).contains("    - name: v3\n      labels:\n        version: v3");
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml, "dark.yaml");
    assertThat(mesh.route("reviews", headers("x-flag-search", "shadow", "x-flag-checkout", "v2")).orElseThrow())
        .as("search decides: served by v1, a quarter copied to v3")
        .satisfies(route -> assertThat(route.primary().subset()).isEqualTo("v1"))
        .extracting(MeshRoute::mirrors).asList().containsExactly(new MeshMirror("reviews", "v3", 9080, 25));
    assertThat(mesh.route("reviews", headers("x-flag-checkout", "v2")).orElseThrow().mirrors()).isEmpty();
  }

  @Test
  void theOlderSingleMirrorIsReadToo() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - name: percentage
            match: [{headers: {x-a: {exact: "1"}}}]
            route: [{destination: {host: reviews, subset: v1}}]
            mirror: {host: reviews, subset: v2}
            mirrorPercentage: {value: 12.5}
          - name: percent
            match: [{headers: {x-a: {exact: "2"}}}]
            route: [{destination: {host: reviews, subset: v1}}]
            mirror: {host: reviews, subset: v2, port: {number: 80}}
            mirrorPercent: 40
          - name: everything
            route: [{destination: {host: reviews, subset: v1}}]
            mirror: {host: reviews, subset: v2}
        """;
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml, "mirror.yaml");
    assertThat(mesh.route("reviews", headers("x-a", "1")).orElseThrow().mirrors())
        .containsExactly(new MeshMirror("reviews", "v2", null, 12.5));
    assertThat(mesh.route("reviews", headers("x-a", "2")).orElseThrow().mirrors())
        .containsExactly(new MeshMirror("reviews", "v2", 80, 40));
    assertThat(mesh.route("reviews", headers()).orElseThrow().mirrors())
        .containsExactly(new MeshMirror("reviews", "v2", null, 100));
    assertThatThrownBy(() -> MeshRouteEvaluator.parse(yaml.replace("mirrorPercent: 40", "mirrorPercent: 140")
        .replace("mirror: {host: reviews, subset: v2}\n", "mirror: {host: reviews, subset: v2}\n"
            + "    mirrors: [{destination: {host: reviews, subset: v3}}]\n"), "bad.yaml"))
        .isInstanceOf(InvalidMeshException.class)
        .hasMessageContaining("VirtualService reviews: spec.http[0].mirror: a route sets mirror or mirrors, not both")
        .hasMessageContaining("spec.http[1].mirrorPercent: a percentage must be from 0 to 100, found 140");
  }

  @Test
  void istioListsFlagsInDeclarationOrderThenTheDefaultAndFirstMatchSettlesCombinations() {
    List<?> http = (List<?>) spec(MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.ISTIO).get(1)).get("http");
    assertThat(http.stream().map(r -> (Object) ((Map<?, ?>) r).get("name")).toList())
        .containsExactly("flag-checkout-v2", "flag-ratings-on", "default");
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(),
        MeshOptions.defaults()).yaml(MeshFormat.ISTIO), "istio.yaml");
    assertThat(mesh.route("reviews", headers("x-flag-checkout", "v2", "x-flag-ratings", "on")).orElseThrow().rule())
        .as("the first flag declared decides").isEqualTo("flag-checkout-v2");
    assertThat(mesh.route("reviews", headers("x-flag-checkout", "v1", "x-flag-ratings", "on")).orElseThrow().rule())
        .as("a default variant falls through to the next flag").isEqualTo("flag-ratings-on");
  }

  @Test
  void istioLeavesThePortToTheMeshUnlessConfigured() {
    assertThat(MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), MeshOptions.defaults())
        .yaml(MeshFormat.ISTIO)).doesNotContain("port");
  }

  private static final String VIRTUAL_SERVICE = """
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

  @Test
  void istioTakesTheFirstMatchingRouteWithEnvoyStringMatches() {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(VIRTUAL_SERVICE, "istio.yaml");
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
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(VIRTUAL_SERVICE, "istio.yaml");
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
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(VIRTUAL_SERVICE, "istio.yaml");
    assertThat(rule(mesh, "reviews", headers("x-flag-upper", "on"))).isEqualTo("default");
  }

  @Test
  void istioReturnsWeightedDestinations() {
    MeshRoute route = MeshRouteEvaluator.parse(VIRTUAL_SERVICE, "istio.yaml").route("reviews", headers()).orElseThrow();
    assertThat(route.resource()).isEqualTo("VirtualService shop/reviews");
    assertThat(route.destinations()).containsExactly(new MeshDestination("reviews", "v1", null, 90),
        new MeshDestination("reviews", "v2", 9080, 10));
    assertThat(route.primary().subset()).isEqualTo("v1");
    assertThat(MeshRouteEvaluator.parse(VIRTUAL_SERVICE, "i").route("reviews", headers("x-flag-checkout", "v2")).orElseThrow()
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
  void routeNamesAreUniqueAndDeterministic() {
    FlagRoutes routes = FlagRoutes.of(
        FlagRoute.builder("a-b").service("reviews").variant("off", "v1").variant("c", "v2").defaultVariant("off")
            .build(),
        FlagRoute.builder("a").service("reviews").variant("off", "v1").variant("b-c", "v3").defaultVariant("off")
            .build());
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.combined(), MeshOptions.defaults());
    for (MeshFormat format : List.of(MeshFormat.ISTIO, MeshFormat.SMI)) {
      List<String> names = new java.util.ArrayList<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("name: (flag[^\\n]*)").matcher(
          format == MeshFormat.SMI ? MeshGenerator.of(FlagRoutes.of(routes.get("a-b"),
              FlagRoute.builder("a").service("reviews").variant("off", "v1").variant("b-c", "v2").defaultVariant("off")
                  .build()), HeaderCodec.combined(), MeshOptions.defaults()).yaml(format) : generator.yaml(format));
      while (m.find()) {
        names.add(m.group(1));
      }
      assertThat(names).as(format.id()).containsExactly("flag-a-b-c", "flag-a-b-c-2").doesNotHaveDuplicates();
    }
    assertThat(generator.yaml(MeshFormat.ISTIO)).isEqualTo(generator.yaml(MeshFormat.ISTIO));
  }

  @Test
  void memberPatternsOverIstiosRegexLimitAreRefusedWithAHint() {
    FlagRoutes routes = FlagRoutes.of(FlagRoute.builder("k".repeat(60)).service("reviews").variant("off", "v1")
        .variant("on", "v2").defaultVariant("off").build());
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.baggage(), MeshOptions.defaults());

    assertThatThrownBy(() -> generator.generate(MeshFormat.ISTIO)).hasMessageContaining("over Istio's limit of 1024")
        .hasMessageContaining("shorten the flag key or member prefix, or use the per-flag codec");
    assertThat(generator.generate(MeshFormat.GATEWAY_API)).isNotEmpty();
  }

  @Test
  void istioUsesOnlyTheOldestVirtualServiceOfAHost() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a-newer, creationTimestamp: "2025-02-01T00:00:00Z"}
        spec: {hosts: [reviews], http: [{name: newer, match: [{headers: {x-flag-checkout: {exact: v2}}}]}]}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: z-older, creationTimestamp: "2025-01-01T00:00:00Z"}
        spec: {hosts: [reviews], http: [{name: older, match: [{uri: {prefix: /old}}]}]}
        """;
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml, "two.yaml");
    assertThat(mesh.route("reviews", MeshRequest.builder().path("/old").header("x-flag-checkout", "v2").build())
        .orElseThrow().rule()).isEqualTo("older");
    assertThat(mesh.route("reviews", headers("x-flag-checkout", "v2"))).as("the newer one is not merged").isEmpty();
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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> document) {
    return (Map<String, Object>) document.get("spec");
  }
}
