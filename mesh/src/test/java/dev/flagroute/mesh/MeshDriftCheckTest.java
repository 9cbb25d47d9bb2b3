package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each fixture in {@code mesh/drift/} seeds one kind of drift into otherwise correct rules. */
class MeshDriftCheckTest {
  private static final FlagRoutes ROUTES =
      FlagRoutesFile.parse(MeshFixtures.resource("drift/routes.yaml"), "routes.yaml");
  private static final MeshDriftCheck CHECK = MeshDriftCheck.of(ROUTES, HeaderCodec.perFlag(), MeshOptions.defaults());

  private static List<Drift> check(String fixture) {
    return CHECK.check(MeshYaml.read(MeshFixtures.resource("drift/" + fixture), fixture));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      istio-ok.yaml                |
      istio-missing-rule.yaml      | MISSING_RULE
      istio-missing-service.yaml   | MISSING_RULE
      istio-wrong-version.yaml     | WRONG_VERSION
      istio-unknown-value.yaml     | MISSING_RULE WRONG_VERSION UNKNOWN_VALUE
      istio-unknown-flag.yaml      | UNKNOWN_FLAG
      istio-header-name.yaml       | MISSING_RULE MISSING_RULE HEADER_NAME HEADER_NAME
      istio-undefined-subset.yaml  | WRONG_VERSION UNDEFINED_SUBSET
      istio-shadowed.yaml          | SHADOWED
      gateway-ok.yaml              |
      gateway-missing-rule.yaml    | MISSING_RULE WRONG_VERSION
      gateway-wrong-version.yaml   | WRONG_VERSION
      gateway-unknown-value.yaml   | MISSING_RULE UNKNOWN_VALUE
      gateway-header-name.yaml     | MISSING_RULE HEADER_NAME
      gateway-undefined-subset.yaml| UNDEFINED_SUBSET
      gateway-shadowed.yaml        | SHADOWED
      istio-conflict.yaml          | MISSING_RULE MISSING_RULE MISSING_RULE MISSING_RULE MISSING_RULE CONFLICT
      istio-captured.yaml          | CAPTURED
      istio-fault.yaml             | FAULT
      gateway-captured.yaml        | CAPTURED
      istio-port.yaml              |
      gateway-port.yaml            | WRONG_PORT
      """)
  void findsExactlyTheSeededDrift(String fixture, String kinds) {
    List<String> expected = kinds == null ? List.of() : List.of(kinds.split(" "));
    assertThat(check(fixture)).extracting(d -> d.kind().name()).as(fixture).containsExactlyElementsOf(expected);
  }

  @Test
  void messagesSayWhatGoesWhereAndWhy() {
    assertThat(check("istio-missing-rule.yaml")).singleElement().hasToString("MISSING_RULE service reviews (istio):"
        + " a request with checkout=v1, ratings=on goes to v1 by rule 'default' of VirtualService reviews, but the"
        + " routes send it to v3; affects requests to reviews with checkout=v1, ratings=on");
    assertThat(check("istio-wrong-version.yaml")).singleElement().hasToString("WRONG_VERSION service reviews (istio):"
        + " a request with checkout=v2, ratings=on goes to v3 by rule 'ratings' of VirtualService reviews, but the"
        + " routes send it to v2 (the first non-default flag in declaration order wins); affects requests to reviews"
        + " with checkout=v2, ratings=on");
    assertThat(check("istio-missing-service.yaml")).singleElement()
        .hasToString("MISSING_RULE service search (istio): no VirtualService routes it; affects every request to"
            + " search");
    assertThat(check("istio-unknown-value.yaml")).filteredOn(d -> d.kind() == Drift.Kind.UNKNOWN_VALUE)
        .singleElement().hasToString("UNKNOWN_VALUE VirtualService reviews rule 'checkout': header 'x-flag-checkout'"
            + " must match exact 'v9', which no variant produces (stamped values: [v1, v2]); affects the stamped"
            + " requests with header 'x-flag-checkout', which the rule was presumably meant for: it matches none of"
            + " them");
    assertThat(check("istio-unknown-flag.yaml")).singleElement().extracting(Drift::message).asString()
        .startsWith("header 'x-flag-chekout' belongs to the codec but to no flag of the routes");
    assertThat(check("istio-header-name.yaml")).filteredOn(d -> d.kind() == Drift.Kind.HEADER_NAME)
        .extracting(Drift::message).containsExactly(
            "header key 'X-Flag-Checkout' is not lowercase, so Envoy never matches it; the codec writes"
                + " 'x-flag-checkout'",
            "header 'x-feature-ratings' looks like the header of flag 'ratings', but the codec writes"
                + " [x-flag-checkout, x-flag-ratings, x-flag-search]");
    assertThat(check("istio-undefined-subset.yaml")).filteredOn(d -> d.kind() == Drift.Kind.UNDEFINED_SUBSET)
        .singleElement().hasToString("UNDEFINED_SUBSET VirtualService reviews rule 'ratings': routes to subset 'v4'"
            + " of host 'reviews', which no DestinationRule defines (Istio answers 503); affects the requests with"
            + " header x-flag-ratings exact 'on'");
    assertThat(check("istio-shadowed.yaml")).singleElement().extracting(MeshDriftCheckTest::finding).isEqualTo("SHADOWED VirtualService reviews rule"
        + " 'checkout-and-ratings': can never match: rule 'checkout' comes first and matches every request it does");
    assertThat(check("gateway-shadowed.yaml")).singleElement().extracting(MeshDriftCheckTest::finding).isEqualTo("SHADOWED HTTPRoute reviews rule"
        + " 'ratings-again': never wins: rule 'ratings' of HTTPRoute reviews ranks before it and matches every"
        + " request it does");
    assertThat(check("gateway-undefined-subset.yaml")).singleElement().extracting(MeshDriftCheckTest::finding).isEqualTo("UNDEFINED_SUBSET HTTPRoute"
        + " reviews rule 'ratings': routes to Service 'reviews-v4', which the given files do not define");
  }

  @Test
  void conflictsCapturesFaultsAndPortsAreReportedByWhatTheMeshDoes() {
    assertThat(check("istio-conflict.yaml")).filteredOn(d -> d.kind() == Drift.Kind.CONFLICT).singleElement()
        .hasToString("CONFLICT host reviews (istio): VirtualServices reviews-legacy and reviews both route it; Istio"
            + " does not merge VirtualServices of one host for sidecars (istioctl analyze: IST0109) and uses the"
            + " oldest, reviews-legacy, only; affects every request to reviews: the rules of the other VirtualServices"
            + " apply to none");
    assertThat(check("istio-conflict.yaml")).first().extracting(Drift::message).asString()
        .isEqualTo("a request with checkout=v1, ratings=off matches no rule, but the routes send it to v1");
    assertThat(check("istio-captured.yaml")).singleElement().extracting(MeshDriftCheckTest::finding).isEqualTo("CAPTURED service reviews (istio): rule 'api'"
        + " of VirtualService reviews matches on something other than flag headers and takes requests from the"
        + " version the routes name: a request with checkout=v1, ratings=on to POST /api goes to v1, but the routes send it"
        + " to v3 (and 5 more such requests)");
    assertThat(check("gateway-captured.yaml")).singleElement().extracting(Drift::message).asString()
        .startsWith("rule 'health' of HTTPRoute reviews matches on something other than flag headers")
        .contains("to GET /health goes to v1");
    assertThat(check("istio-fault.yaml")).singleElement().hasToString("FAULT VirtualService reviews rule 'checkout':"
        + " injects faults (abort) into requests the routes send to v2; affects flagged requests to reviews that it"
        + " takes: requests with header x-flag-checkout exact 'v2'");
    MeshDriftCheck port9080 = MeshDriftCheck.of(ROUTES, HeaderCodec.perFlag(), MeshOptions.builder().port(9080)
        .build());
    for (String ok : List.of("istio-ok.yaml", "gateway-ok.yaml")) {
      assertThat(port9080.check(MeshYaml.read(MeshFixtures.resource("drift/" + ok), ok))).as(ok).isEmpty();
    }
    assertThat(port9080.check(MeshYaml.read(MeshFixtures.resource("drift/istio-port.yaml"), "p"))).singleElement()
        .hasToString("WRONG_PORT VirtualService reviews rule 'checkout': routes to port 8080 of host 'reviews',"
            + " but the service's port is 9080; affects the requests with header x-flag-checkout exact 'v2'");
    assertThat(port9080.check(MeshYaml.read(MeshFixtures.resource("drift/gateway-port.yaml"), "p")))
        .extracting(Drift::toString).containsExactly(
            "WRONG_PORT HTTPRoute reviews: attaches to port 8080 of Service 'reviews', but the service's port is 9080;"
                + " affects every request to reviews: the route attaches to another port, so none of its rules apply",
            "WRONG_PORT HTTPRoute reviews rule 'checkout': routes to port 9090 of Service 'reviews-v2', but the"
                + " service's port is 9080; affects the requests with header x-flag-checkout exact 'v2' to reviews",
            "WRONG_PORT HTTPRoute reviews rule 'checkout': routes to port 9090 of Service 'reviews-v2', which"
                + " exposes only [9080]; affects the requests with header x-flag-checkout exact 'v2' to reviews");
  }

  @Test
  void rulesMatchingARegexThatHasAnObviousValueCaptureToo() {
    String yaml = MeshFixtures.resource("drift/istio-ok.yaml").replace("""
          http:
          - name: checkout
        """, """
          http:
          - name: api
            match: [{uri: {regex: "^/api/.*"}}]
            route: [{destination: {host: reviews, subset: v1}}]
          - name: checkout
        """);

    assertThat(CHECK.check(MeshYaml.read(yaml, "regex.yaml"))).singleElement().extracting(Drift::message).asString()
        .startsWith("rule 'api' of VirtualService reviews").contains("to GET /api/ goes to v1");
  }

  @Test
  void consulRoutesAheadOfTheFlagRoutesCaptureToo() {
    FlagRoutes reviews = FlagRoutes.of(ROUTES.get("checkout"), ROUTES.get("ratings"));
    List<Map<String, Object>> docs = MeshGenerator.of(reviews, HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.CONSUL);
    Map<String, Object> router = docs.stream().filter(d -> d.get("kind").equals("ServiceRouter")).findFirst()
        .orElseThrow();
    @SuppressWarnings("unchecked")
    List<Object> routes = (List<Object>) ((Map<String, Object>) router.get("spec")).get("routes");
    routes.add(0, Map.of("match", Map.of("http", Map.of("header", List.of(Map.of("name", "x-canary", "present",
        true)))), "destination", Map.of("serviceSubset", "v1")));

    assertThat(MeshDriftCheck.of(reviews, HeaderCodec.perFlag(), MeshOptions.defaults()).check(docs))
        .singleElement().satisfies(d -> assertThat(d.kind()).isEqualTo(Drift.Kind.CAPTURED))
        .extracting(Drift::message).asString().contains("to GET / with x-canary: 1 goes to v1");
  }

  @Test
  void generatedRulesAgreeForEveryCodecAndFormat() {
    for (HeaderCodec codec : List.of(HeaderCodec.perFlag(), HeaderCodec.perFlag("x-ab-"), HeaderCodec.combined(),
        HeaderCodec.baggage())) {
      MeshGenerator generator = MeshGenerator.of(ROUTES, codec, MeshOptions.defaults());
      MeshDriftCheck check = MeshDriftCheck.of(ROUTES, codec, MeshOptions.defaults());
      for (MeshFormat format : MeshFormat.all()) {
        if (format == MeshFormat.SMI) {
          assertThatThrownBy(() -> generator.generate(format)).as("reviews reaches v2 and v3")
              .hasMessageContaining("besides the stable version v1");
        } else {
          assertThat(check.check(generator.generate(format))).as(codec + " " + format).isEmpty();
        }
      }
    }
  }

  @Test
  void rulesForAnotherCodecDrift() {
    List<Map<String, Object>> perFlag = MeshGenerator.of(ROUTES, HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.ISTIO);
    List<Drift> drift = MeshDriftCheck.of(ROUTES, HeaderCodec.baggage(), MeshOptions.defaults()).check(perFlag);
    assertThat(drift).extracting(Drift::kind).containsOnly(Drift.Kind.HEADER_NAME);
    assertThat(drift).filteredOn(d -> d.kind() == Drift.Kind.HEADER_NAME).extracting(Drift::message)
        .contains("header 'x-flag-checkout' looks like the header of flag 'checkout', but the codec writes [baggage]");
  }

  @Test
  void rulesForAnotherCodecAreOneFindingPerMisnamedHeader() {
    for (HeaderCodec codec : List.of(HeaderCodec.combined(), HeaderCodec.baggage())) {
      for (MeshFormat format : List.of(MeshFormat.ISTIO, MeshFormat.GATEWAY_API, MeshFormat.ISTIO_AMBIENT,
          MeshFormat.CONSUL)) {
        List<Map<String, Object>> perFlag = MeshGenerator.of(ROUTES, HeaderCodec.perFlag(), MeshOptions.defaults())
            .generate(format);
        // one cause per flag rule (it matches under x-flag-<key>, which the codec does not write), one finding each
        assertThat(MeshDriftCheck.of(ROUTES, codec, MeshOptions.defaults()).check(perFlag)).as("%s %s", codec, format)
            .extracting(Drift::kind).containsExactly(Drift.Kind.HEADER_NAME, Drift.Kind.HEADER_NAME,
                Drift.Kind.HEADER_NAME);
      }
    }
    List<Map<String, Object>> istio = MeshGenerator.of(ROUTES, HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.ISTIO);
    assertThat(MeshDriftCheck.of(ROUTES, HeaderCodec.combined(), MeshOptions.defaults()).check(istio)).first()
        .hasToString("HEADER_NAME VirtualService reviews rule 'flag-checkout-v2': header 'x-flag-checkout' looks like"
            + " the header of flag 'checkout', but the codec writes [x-flags]; affects the flagged requests the rule"
            + " was presumably meant for: they carry [x-flags] instead, so it matches none of them: requests to"
            + " reviews with checkout=v2, ratings=off go to v1, not v2; requests to reviews with checkout=v2,"
            + " ratings=on go to v1, not v2; requests to reviews sent as GET / with x-flag-checkout: v2 go to v2,"
            + " with or without flag headers");
    // a header of no known flag: requests sent with it are its one finding too, not a CAPTURED besides it
    assertThat(check("gateway-header-name.yaml")).filteredOn(d -> d.kind() == Drift.Kind.HEADER_NAME)
        .singleElement().extracting(Drift::affects).asString()
        .endsWith("so it matches none of them: requests to reviews sent as GET / with x-features: ratings-on go to"
            + " v3, with or without flag headers");
  }

  @Test
  void aVersionLabelOtherThanTheSubsetsIsDrift() {
    MeshOptions options = MeshOptions.builder().versionLabel("app.kubernetes.io/version").build();
    List<Drift> drift = MeshDriftCheck.of(ROUTES, HeaderCodec.perFlag(), options).check(
        MeshYaml.read(MeshFixtures.resource("drift/istio-ok.yaml"), "istio-ok.yaml"));
    assertThat(drift).isNotEmpty().allSatisfy(d -> assertThat(d.message()).contains("undefined subset"));
  }

  @Test
  void noRoutingDocumentsMeansEveryServiceIsMissing() {
    assertThat(CHECK.check(List.of(Map.of("apiVersion", "apps/v1", "kind", "Deployment")))).extracting(Drift::toString)
        .containsExactly("MISSING_RULE service reviews: no VirtualService, HTTPRoute, GRPCRoute, ServiceRouter or"
            + " TrafficSplit routes it; affects every request to reviews", "MISSING_RULE service search: no"
            + " VirtualService, HTTPRoute, GRPCRoute, ServiceRouter or TrafficSplit routes it; affects every request"
            + " to search");
  }

  @Test
  void mirrorsAreCheckedToo() {
    FlagRoutes routes = FlagRoutes.of(FlagRoute.builder("search").service("search").variant("off", "v1")
        .variant("shadow", "v1").variant("on", "v2").mirror("shadow", "v2", 50).defaultVariant("off").build());
    MeshDriftCheck check = MeshDriftCheck.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults());
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults());
    String istio = generator.yaml(MeshFormat.ISTIO);
    String gateway = generator.yaml(MeshFormat.GATEWAY_API);
    assertThat(check.check(MeshYaml.read(istio, "istio"))).isEmpty();
    assertThat(check.check(MeshYaml.read(gateway, "gateway"))).isEmpty();

    assertThat(check.check(MeshYaml.read(istio.replace("value: 50", "value: 5"), "istio"))).extracting(Drift::toString)
        .containsExactly("WRONG_MIRROR service search (istio): a request with search=shadow is mirrored to v2 (5%) by"
            + " rule 'flag-search-shadow' of VirtualService search, but the routes mirror 50% of it to v2; affects"
            + " requests to search with search=shadow");
    assertThat(check.check(MeshYaml.read(istio.replace("subset: v2\n          percentage", "subset: v1\n"
        + "          percentage"), "istio"))).extracting(Drift::kind).containsExactly(Drift.Kind.WRONG_MIRROR);
    String withoutMirror = gateway.replaceAll("(?s)      filters:.*?percent: 50\n", "");
    assertThat(withoutMirror).doesNotContain("RequestMirror");
    assertThat(check.check(MeshYaml.read(withoutMirror, "gateway"))).extracting(Drift::toString)
        .containsExactly("MISSING_MIRROR service search (gateway-api): a request with search=shadow is not mirrored by"
            + " rule 'spec.rules[0]' of HTTPRoute search, but the routes mirror 50% of it to v2; affects requests to"
            + " search with search=shadow");
    String mirrorsEverything = istio.replace("    - name: default\n", "    - name: default\n      mirrors:\n"
        + "        - destination: {host: search, subset: v2}\n");
    assertThat(check.check(MeshYaml.read(mirrorsEverything, "istio"))).extracting(Drift::toString)
        .containsExactly("WRONG_MIRROR service search (istio): a request with search=off is mirrored to v2 (100%) by"
                + " rule 'default' of VirtualService search, but the routes mirror none of it; affects requests to search"
                + " with search=off",
            "WRONG_MIRROR service search (istio): a request with no flag headers is mirrored to v2 (100%) by rule"
                + " 'default' of VirtualService search, but the routes mirror none of it; affects requests to search"
                + " with no flag headers");
    assertThat(check.check(MeshYaml.read(istio.replace("subset: v2\n          percentage", "subset: v9\n"
        + "          percentage"), "istio"))).extracting(Drift::toString).contains("UNDEFINED_SUBSET VirtualService"
            + " search rule 'flag-search-shadow': mirrors to subset 'v9' of host 'search', which no DestinationRule"
            + " defines; affects the requests with header x-flag-search exact 'shadow' (their copies)");
  }

  @Test
  void documentsOfBothFormatsAreEachChecked() {
    List<Map<String, Object>> both = new java.util.ArrayList<>(
        MeshYaml.read(MeshFixtures.resource("drift/istio-missing-rule.yaml"), "i"));
    both.addAll(MeshYaml.read(MeshFixtures.resource("drift/gateway-shadowed.yaml"), "g"));
    assertThat(CHECK.check(both)).extracting(Drift::kind).containsExactly(Drift.Kind.MISSING_RULE,
        Drift.Kind.SHADOWED, Drift.Kind.CONFLICT, Drift.Kind.CONFLICT);
    assertThat(CHECK.check(both)).filteredOn(d -> d.kind() == Drift.Kind.CONFLICT).extracting(Drift::message)
        .allMatch(m -> m.startsWith("both a VirtualService and an HTTPRoute or GRPCRoute (gateway-api) route it"));
  }

  /** A finding without the requests it affects: {@code KIND where: message}. */
  private static String finding(Drift drift) {
    return drift.kind() + " " + drift.where() + ": " + drift.message();
  }
}
