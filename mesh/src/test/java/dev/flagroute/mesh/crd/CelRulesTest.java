package dev.flagroute.mesh.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The CEL rules of the real CRDs catch what they forbid: each hand-made document breaks one known rule of Gateway
 * API v1.6.1 and must be reported with the CRD's own message at the node the rule sits on, while its valid twin
 * passes. Runs in the {@code crd-schemas} profile.
 */
@Tag("crd-schemas")
class CelRulesTest {
  private static final CrdSchemaValidator LATEST = CrdSchemaValidator.shared();

  @Test
  void twoListenersOfTheSameNameBreakTheGatewaysRule() {
    String gateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: waypoint}
        spec:
          gatewayClassName: istio-waypoint
          listeners:
          - {name: mesh, port: 15008, protocol: HBONE}
          - {name: %s, port: 15009, protocol: HBONE}
        """;
    assertThat(LATEST.validateYaml(gateway.formatted("other"))).isEmpty();
    assertThat(LATEST.validateYaml(gateway.formatted("mesh")))
        .singleElement().asString()
        .contains("CEL $.spec.listeners: Listener name must be unique within the Gateway")
        .contains("self.all(l1, self.exists_one(l2, l1.name == l2.name))");
  }

  @Test
  void aRedirectBesideARewriteBreaksTheFilterRule() {
    String route = route("""
          - matches: [{path: {type: PathPrefix, value: /}}]
            filters:
            - {type: URLRewrite, urlRewrite: {hostname: reviews}}
        %s""");
    assertThat(LATEST.validateYaml(route.formatted(""))).isEmpty();
    assertThat(LATEST.validateYaml(route.formatted(
        "    - {type: RequestRedirect, requestRedirect: {statusCode: 302}}\n")))
        .anySatisfy(error -> assertThat(error)
            .startsWith("document 1 (HTTPRoute flags): CEL $.spec.rules[0].filters: ")
            .contains("May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both"));
  }

  @Test
  void anExactPathNotStartingWithASlashBreaksThePathRule() {
    String route = route("""
          - matches: [{path: {type: Exact, value: %s}}]
            backendRefs: [{name: reviews-v1, port: 9080}]
        """);
    assertThat(LATEST.validateYaml(route.formatted("/reviews"))).isEmpty();
    assertThat(LATEST.validateYaml(route.formatted("reviews")))
        .anySatisfy(error -> assertThat(error)
            .startsWith("document 1 (HTTPRoute flags): CEL $.spec.rules[0].matches[0].path: ")
            .contains("value must be an absolute path and start with '/'"));
  }

  @Test
  void schemaDefaultsApplyBeforeTheRulesAsOnCreate() {
    // the rule on a ReplacePrefixMatch rewrite reads matches[0].path.type, which the API server defaults to
    // PathPrefix: without defaulting, the rule would fail to evaluate on this valid route
    String route = route("""
          - matches: [{path: {value: /api}}]
            filters:
            - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}
            backendRefs: [{name: reviews-v1, port: 9080}]
        """);
    assertThat(LATEST.validateYaml(route)).isEmpty();
    assertThat(LATEST.validateYaml(route.replace("{path: {value: /api}}", "{path: {type: Exact, value: /api}}")))
        .anySatisfy(error -> assertThat(error).contains("CEL $.spec.rules[0]: ")
            .contains("When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match"));
  }

  @Test
  void propertyNamesAreEscapedAsKubernetesEscapesThem() {
    assertThat(CelRules.escape("namespace")).isEqualTo("__namespace__");
    assertThat(CelRules.escape("x-request-id")).isEqualTo("x__dash__request__dash__id");
    assertThat(CelRules.escape("a.b/c__d")).isEqualTo("a__dot__b__slash__c__underscores__d");
    // the parentRefs rule reads p.__namespace__: two refs differing only in namespace are distinct
    String route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: flags}
        spec:
          parentRefs:
          - {group: "", kind: Service, name: reviews, namespace: a, sectionName: http}
          - {group: "", kind: Service, name: reviews, namespace: %s, sectionName: http}
        """;
    assertThat(LATEST.validateYaml(route.formatted("b"))).isEmpty();
    assertThat(LATEST.validateYaml(route.formatted("a")))
        .anySatisfy(error -> assertThat(error).contains("CEL $.spec.parentRefs: ")
            .contains("sectionName must be unique when parentRefs includes 2 or more references to the same parent"));
  }

  @Test
  void transitionRulesAreSkippedAndCounted() {
    long before = CelRules.statistics().transitionRulesSkipped();
    assertThat(CelRules.violations(Map.of("spec", "a"), Map.of("type", "object", "properties",
        Map.of("spec", Map.of("type", "string", "x-kubernetes-validations",
            List.of(Map.of("rule", "self == oldSelf", "message", "immutable"))))))).isEmpty();
    assertThat(CelRules.statistics().transitionRulesSkipped()).isEqualTo(before + 1);
  }

  @Test
  void aRuleThatDoesNotCompileIsAFailureNamingIt() {
    Map<String, Object> schema = Map.of("type", "object", "x-kubernetes-validations",
        List.of(Map.of("rule", "self.noSuchFunction()", "message", "never")));
    assertThat(CelRules.violations(Map.of(), schema)).singleElement().asString()
        .startsWith("$: rule does not compile: self.noSuchFunction()");
  }

  @Test
  void messageExpressionsAreEvaluatedWithSelf() {
    Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("port", Map.of("type", "integer",
        "x-kubernetes-validations", List.of(Map.of("rule", "self < 1024",
            "messageExpression", "'port ' + string(self) + ' is not privileged'")))));
    assertThat(CelRules.violations(Map.of("port", 8080), schema))
        .containsExactly("$.port: port 8080 is not privileged (rule: self < 1024)");
  }

  @Test
  void kubernetesUrlsParseAsRequestUris() {
    assertThat(KubernetesUrls.parse("https://example.com:8443/a%20b?x=1")).hasValueSatisfying(url -> {
      assertThat(url.scheme()).isEqualTo("https");
      assertThat(url.hostname()).isEqualTo("example.com");
      assertThat(url.port()).isEqualTo("8443");
      assertThat(url.escapedPath()).isEqualTo("/a%20b");
      assertThat(url.query()).isEqualTo("x=1");
    });
    assertThat(KubernetesUrls.parse("/absolute/path")).hasValueSatisfying(url -> assertThat(url.scheme()).isEmpty());
    assertThat(KubernetesUrls.parse("OCI://registry/image")).hasValueSatisfying(
        url -> assertThat(url.scheme()).isEqualTo("oci"));
    for (String notUrl : List.of("", "relative/path", ":8080", "http://host:port/", "http://a b/", "/a%zz",
        "http://x/\n")) {
      assertThat(KubernetesUrls.parse(notUrl)).as(notUrl).isEmpty();
    }
  }

  private static String route(String rules) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: flags}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
          rules:
        """ + rules;
  }
}
