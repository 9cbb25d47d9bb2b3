package dev.flagroute.mesh.internal.gateway;

import static dev.flagroute.mesh.MeshFixtures.TWO_FLAGS;
import static dev.flagroute.mesh.MeshFixtures.exampleRoutes;
import static dev.flagroute.mesh.MeshFixtures.flag;
import static dev.flagroute.mesh.MeshFixtures.headers;
import static dev.flagroute.mesh.MeshFixtures.resource;
import static dev.flagroute.mesh.MeshFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.GatewayApiVersion;
import dev.flagroute.mesh.MeshDestination;
import dev.flagroute.mesh.MeshDriftCheck;
import dev.flagroute.mesh.MeshFixtures;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshMirror;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRoute;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.mesh.MeshYaml;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  void everyFlagRuleHasOneHeaderMatchSoRuleOrderSettlesCombinations() {
    String yaml = MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(), MeshOptions.defaults())
        .yaml(MeshFormat.GATEWAY_API);
    assertThat(yaml).contains("""
              rules:
                - matches:
                    - headers:
                        - name: x-flag-checkout
                          type: Exact
                          value: v2
                  backendRefs:
                    - name: reviews-v2
                      port: 80
                - matches:
                    - headers:
                        - name: x-flag-ratings
                          type: Exact
                          value: 'on'
                  backendRefs:
                    - name: reviews-v3
                      port: 80
                - backendRefs:
                    - name: reviews-v1
            """);
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml, "gateway.yaml");
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v2", "x-flag-ratings", "on")))
        .as("equally specific: the first rule wins, the first flag declared").isEqualTo("spec.rules[0]");
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v1", "x-flag-ratings", "on")))
        .isEqualTo("spec.rules[1]");
  }

  @Test
  void theLimitsTableInTheDocsStatesTheGeneratorsLimits() throws java.io.IOException {
    String docs = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/meshes.md"));
    String row = docs.lines().filter(line -> line.startsWith("| rules for a service |")).findFirst().orElseThrow();
    assertThat(row).contains(GatewayApiGenerator.MAX_RULES + " per route; a rule holds "
        + GatewayApiGenerator.PORTABLE_MATCHES_PER_RULE + " matches, " + GatewayApiGenerator.MAX_MATCHES_PER_RULE
        + " when " + GatewayApiGenerator.PORTABLE_MATCHES_PER_RULE + " would need more than "
        + GatewayApiGenerator.MAX_RULES + " rules; " + GatewayApiGenerator.MAX_MATCHES + " matches per route")
        .contains("| " + GatewayApiGenerator.MAX_RULES + " rules of " + GatewayApiGenerator.PORTABLE_MATCHES_PER_RULE
            + " matches |");
    assertThat(docs).contains("value ≤ " + GatewayApiGenerator.MAX_VALUE_LENGTH + " characters");
  }

  @Test
  void aHeaderValueOverTheLimitIsRefusedNamingIt() {
    FlagRoute longKey = FlagRoute.builder("k".repeat(63)).service("reviews").variant("off", "v1")
        .variant("on", "v2").defaultVariant("off").build();
    HeaderCodec longPrefix = HeaderCodec.baggage("p".repeat(200) + ".");
    assertThatThrownBy(() -> MeshGenerator.of(FlagRoutes.of(longKey), longPrefix, MeshOptions.defaults())
        .generate(MeshFormat.GATEWAY_API)).hasMessageMatching("service 'reviews': flag 'k{63}' variant 'on' is matched"
            + " on header 'baggage' by a \\d+-character value, but Gateway API allows 4096 characters per header match"
            + " value \\(a member-list pattern grows with the flag key and member prefix\\); shorten them, or use the"
            + " per-flag codec");
  }

  @Test
  void aQueryParameterRuleTakingDefaultTrafficIsCaptured() {
    FlagRoutes routes = FlagRoutes.of(MeshFixtures.flag("checkout", "reviews"));
    String yaml = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults()).yaml(MeshFormat.GATEWAY_API)
        .replace("  rules:\n", """
              rules:
                - matches:
                    - queryParams:
                        - name: beta
                          value: '1'
                  backendRefs:
                    - name: reviews-v2
                      port: 80
            """);
    List<Drift> drift = MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults())
        .check(MeshYaml.read(yaml, "gateway.yaml"));
    assertThat(drift).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Drift.Kind.CAPTURED);
      assertThat(d.message()).contains("rule 'spec.rules[0]' of HTTPRoute reviews", "to GET /?beta=1 goes to v2, but"
          + " the routes send it to v1");
      assertThat(d.affects()).isEqualTo("requests to reviews sent as GET /?beta=1, with or without flag headers");
    });
  }

  @Test
  void perFlagRoutesTheIssueFoundRefusedFitByRuleOrder() {
    List<FlagRoute> flags = new ArrayList<>();
    for (int f = 0; f < 7; f++) {
      flags.add(FlagRoute.builder("f" + f).service("reviews").variant("off", "v0").variant("a", "v" + (1 + f % 3))
          .variant("b", "v" + (1 + (f + 1) % 3)).defaultVariant("off").build());
    }
    FlagRoutes routes = FlagRoutes.of(flags);
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults());
    for (MeshFormat format : List.of(MeshFormat.GATEWAY_API, MeshFormat.gatewayApi(GatewayApiVersion.V1_1),
        MeshFormat.LINKERD)) {
      List<Map<String, Object>> docs = generator.generate(format);
      assertThat(HTTPRouteRules.of(MeshYaml.write(docs)).matchesPerRule()).as("%s: runs of one version share a rule", format)
          .containsExactly(1, 2, 2, 2, 2, 2, 2, 1, 0);
      assertThat(MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults()).check(docs)).isEmpty();
    }
  }

  @Test
  void sharedHeaderCodecsMatchMembersByRegexInDeclarationOrder() {
    String yaml = MeshGenerator.of(TWO_FLAGS, HeaderCodec.baggage(), MeshOptions.defaults())
        .yaml(MeshFormat.GATEWAY_API);
    assertThat(yaml).contains("""
              rules:
                - matches:
                    - headers:
                        - name: baggage
                          type: RegularExpression
                          value: %s
                  backendRefs:
                    - name: reviews-v2
                      port: 80
                - matches:
                    - headers:
                        - name: baggage
                          type: RegularExpression
                          value: %s
                  backendRefs:
                    - name: reviews-v3
            """.formatted(MeshFixtures.pattern(HeaderCodec.baggage(), "checkout", "v2"),
                MeshFixtures.pattern(HeaderCodec.baggage(), "ratings", "on")));
  }

  @Test
  void bothTargetsWriteTheSameUnlessAFeatureNeedsTheNewerRelease() {
    FlagRoutes dark = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews").variant("v1", "v1")
        .variant("v2", "v2").variant("dark", "v1").mirror("dark", "v2", 100).defaultVariant("v1").build());
    MeshGenerator generator = MeshGenerator.of(dark, HeaderCodec.perFlag(), MeshOptions.builder().port(9080).build());
    String latest = generator.yaml(MeshFormat.GATEWAY_API);
    assertThat(MeshFormat.gatewayApi(GatewayApiVersion.V1_6)).isSameAs(MeshFormat.GATEWAY_API);
    assertThat(generator.yaml(MeshFormat.gatewayApi(GatewayApiVersion.V1_1))).isEqualTo(latest);
    assertThat(MeshFormat.gatewayApi(GatewayApiVersion.V1_1).id()).isEqualTo("gateway-api");
    assertThat(MeshFormat.all()).doesNotContain(MeshFormat.gatewayApi(GatewayApiVersion.V1_1));
    assertThat(latest).as("a mirror of every request needs no percent").contains("""
                - matches:
                    - headers:
                        - name: x-flag-checkout
                          type: Exact
                          value: dark
                  filters:
                    - type: RequestMirror
                      requestMirror:
                        backendRef:
                          name: reviews-v2
                          port: 9080
                  backendRefs:
                    - name: reviews-v1
                      port: 9080
            """).doesNotContain("percent");
    MeshRoute route = MeshRouteEvaluator.parse(latest, "dark.yaml").route("reviews", headers("x-flag-checkout", "dark"))
        .orElseThrow();
    assertThat(route.destinations()).containsExactly(new MeshDestination("reviews-v1", null, 9080, 1));
    assertThat(route.mirrors()).containsExactly(new MeshMirror("reviews-v2", null, 9080, 100));
  }

  @Test
  void aMirrorOfPartOfTheRequestsNeedsRelease16() {
    FlagRoutes dark = FlagRoutes.of(FlagRoute.builder("search").service("search").variant("off", "v1")
        .variant("shadow", "v1").mirror("shadow", "v2", 25).defaultVariant("off").build());
    MeshGenerator generator = MeshGenerator.of(dark, HeaderCodec.perFlag(), MeshOptions.defaults());
    assertThat(generator.yaml(MeshFormat.GATEWAY_API)).contains("""
                        backendRef:
                          name: search-v2
                          port: 80
                        percent: 25
            """);
    assertThatThrownBy(() -> generator.generate(MeshFormat.gatewayApi(GatewayApiVersion.V1_1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service 'search': flag 'search' mirrors 25% of variant 'shadow' to v2, but Gateway API 1.1"
            + " has no RequestMirror percent, so it mirrors all requests or none; mirror 100%, or target Gateway API"
            + " 1.6");
  }

  @Test
  void linkerdRefusesEveryMirrorAndWritesGatewayApi11Otherwise() {
    FlagRoute.Builder search = FlagRoute.builder("search").service("search").variant("off", "v1")
        .variant("shadow", "v1").variant("new", "v2").defaultVariant("off");
    MeshGenerator plain = MeshGenerator.of(FlagRoutes.of(search.build()), HeaderCodec.perFlag(), MeshOptions.defaults());
    assertThat(plain.yaml(MeshFormat.LINKERD)).isEqualTo(plain.yaml(MeshFormat.gatewayApi(GatewayApiVersion.V1_1)));
    MeshGenerator generator = MeshGenerator.of(FlagRoutes.of(search.mirror("shadow", "v2", 100).build()),
        HeaderCodec.perFlag(), MeshOptions.defaults());
    assertThat(generator.yaml(MeshFormat.gatewayApi(GatewayApiVersion.V1_1))).as("other 1.1 meshes may mirror")
        .contains("RequestMirror");
    assertThatThrownBy(() -> generator.generate(MeshFormat.LINKERD)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service 'search': flag 'search' mirrors variant 'shadow' to v2, but Linkerd's policy controller"
            + " refuses a route with a RequestMirror filter (\"RequestMirror filter is not supported\") and then"
            + " ignores the whole route, flag matches included; generate Linkerd rules from routes without mirrors,"
            + " or use istio or gateway-api for dark launches");
  }

  @Test
  void rulesHoldEightMatchesUnlessMoreAreNeededAndTheTargetAllowsThem() {
    FlagRoute.Builder wide = FlagRoute.builder("wide").service("reviews").variant("off", "v0").defaultVariant("off");
    for (int i = 1; i <= 10; i++) {
      wide.variant("on" + i, "v1");
    }
    String yaml = MeshGenerator.of(FlagRoutes.of(wide.build()), HeaderCodec.perFlag(), MeshOptions.defaults())
        .yaml(MeshFormat.GATEWAY_API);
    HTTPRouteRules rules = HTTPRouteRules.of(yaml);
    assertThat(rules.matchesPerRule()).as("8 + 2 matches, then the default").containsExactly(8, 2, 0);

    FlagRoute.Builder many = FlagRoute.builder("many").service("reviews").variant("off", "v0").defaultVariant("off");
    for (int i = 0; i < 126; i++) {
      many.variant("a" + i, "v" + (1 + i / 9));
    }
    MeshGenerator generator = MeshGenerator.of(FlagRoutes.of(many.build()), HeaderCodec.perFlag(),
        MeshOptions.defaults());
    assertThat(HTTPRouteRules.of(generator.yaml(MeshFormat.GATEWAY_API)).matchesPerRule()).as("14 rules of 9")
        .hasSize(15).startsWith(9, 9);
    assertThatThrownBy(() -> generator.generate(MeshFormat.LINKERD))
        .hasMessage("service 'reviews': its 126 non-default variants need 29 rules (one per run of variants with the"
            + " same version and mirror, plus the default), but Gateway API allows 16 rules per route and, in 1.1, 8"
            + " matches per rule; steer the service with fewer variants or versions, or use istio or consul, which"
            + " have no rule limit");
  }

  @Test
  void requestMirrorFiltersAreTheRulesMirrors() {
    String yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: reviews, namespace: shop}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews}]
          rules:
          - matches: [{headers: [{name: x-flag-a, value: "1"}]}]
            filters:
            - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-a, value: b}]}}
            - type: RequestMirror
              requestMirror: {backendRef: {name: reviews-v2, port: 9080}, fraction: {numerator: 1, denominator: 8}}
            - type: RequestMirror
              requestMirror: {backendRef: {name: reviews-v3, namespace: dark, port: 9080}, percent: 5}
            backendRefs: [{name: reviews-v1, port: 9080}]
          - backendRefs: [{name: reviews-v1, port: 9080}]
        """;
    MeshRoute route = MeshRouteEvaluator.parse(yaml, "mirrors.yaml").route("reviews", headers("x-flag-a", "1"))
        .orElseThrow();
    assertThat(route.mirrors()).containsExactly(new MeshMirror("reviews-v2", null, 9080, 12.5),
        new MeshMirror("reviews-v3.dark", null, 9080, 5));
    assertThat(MeshRouteEvaluator.parse(yaml, "mirrors.yaml").route("reviews", headers()).orElseThrow().mirrors())
        .isEmpty();
    assertThatThrownBy(() -> MeshRouteEvaluator.parse(yaml.replace("percent: 5", "percent: 5, fraction: {numerator: 1}")
        .replace("denominator: 8", "denominator: 0"), "bad.yaml"))
        .hasMessageContaining("HTTPRoute shop/reviews: spec.rules[0].filters[1].requestMirror.fraction: a fraction"
            + " needs a numerator from 0 to its denominator")
        .hasMessageContaining("spec.rules[0].filters[2].requestMirror: a RequestMirror filter sets percent or"
            + " fraction, not both");
  }

  /** The number of matches of each rule of the one route among {@code yaml}'s documents. */
  private record HTTPRouteRules(List<Integer> matchesPerRule) {
    static HTTPRouteRules of(String yaml) {
      Map<String, Object> route = MeshYaml.read(yaml, "route").stream()
          .filter(d -> "HTTPRoute".equals(d.get("kind"))).findFirst().orElseThrow();
      List<?> rules = (List<?>) ((Map<?, ?>) route.get("spec")).get("rules");
      return new HTTPRouteRules(rules.stream().map(r -> ((Map<?, ?>) r).get("matches") instanceof List<?> m
          ? m.size() : 0).toList());
    }
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
        .hasMessageContaining("its 16 non-default variants need 17 rules").hasMessageContaining(
            "but Gateway API allows 16 rules per route; steer");
  }

  @Test
  void variantsOfOneFlagGoingToOneVersionShareARule() {
    FlagRoute.Builder many = FlagRoute.builder("many").service("reviews").variant("v0", "v1").defaultVariant("v0");
    for (int i = 1; i < 20; i++) {
      many.variant("x" + i, "v" + (1 + i % 3));
    }
    for (HeaderCodec codec : List.of(HeaderCodec.perFlag(), HeaderCodec.combined())) {
      FlagRoutes routes = FlagRoutes.of(many.build());
      MeshGenerator generator = MeshGenerator.of(routes, codec, MeshOptions.defaults());
      for (MeshFormat format : List.of(MeshFormat.GATEWAY_API, MeshFormat.LINKERD)) {
        List<Map<String, Object>> docs = generator.generate(format);
        assertThat(docs.get(docs.size() - 1).toString()).as("%s %s", codec, format)
            .contains("backendRefs=[{name=reviews-v3").contains("backendRefs=[{name=reviews-v2");
        assertThat(MeshDriftCheck.of(routes, codec, MeshOptions.defaults()).check(docs)).isEmpty();
      }
    }
  }

  @Test
  void flagsWhoseVariantsAllGoToOneVersionNeedNoCombinationRules() {
    List<FlagRoute> flags = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      flags.add(FlagRoute.builder("f" + i).service("reviews").variant("off", "v1").variant("on", "v2")
          .defaultVariant("off").build());
    }
    FlagRoutes routes = FlagRoutes.of(flags);
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults());

    List<Map<String, Object>> docs = generator.generate(MeshFormat.GATEWAY_API);

    assertThat(MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults()).check(docs)).isEmpty();
    assertThat(MeshRouteEvaluator.of(MeshFormat.GATEWAY_API, docs).route("reviews", headers("x-flag-f16", "on"))
        .orElseThrow().primary().host()).isEqualTo("reviews-v2");
  }

  @Test
  void aRuleThatRedirectsSendsRequestsToNoBackend() {
    String route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: reviews}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
          rules:
          - matches: [{headers: [{name: x-flag-checkout, value: v2}]}]
            filters: [{type: RequestRedirect, requestRedirect: {hostname: elsewhere.example}}]
            backendRefs: [{name: reviews-v2, port: 9080}]
          - backendRefs: [{name: reviews-v1, port: 9080}]
        """;
    FlagRoutes checkout = FlagRoutes.of(TWO_FLAGS.get("checkout"));

    assertThat(MeshRouteEvaluator.parse(route, "r").route("reviews", headers("x-flag-checkout", "v2")).orElseThrow()
        .destinations()).isEmpty();
    assertThat(MeshDriftCheck.of(checkout, HeaderCodec.perFlag(), MeshOptions.defaults())
        .check(MeshYaml.read(route, "r"))).extracting(Drift::message).singleElement().asString()
        .contains("goes to no destination");
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
