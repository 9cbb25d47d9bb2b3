package dev.flagroute.mesh.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict validator against the real CRDs; needs the schema folder, so runs in the {@code crd-schemas} profile. */
@Tag("crd-schemas")
class CrdSchemaValidatorTest {

  private static CrdSchemaValidator validator;

  private static final String DESTINATION_RULE = """
          apiVersion: networking.istio.io/v1
          kind: DestinationRule
          metadata: {name: reviews}
          spec:
            host: reviews
            subsets:
            - {name: v1, labels: {version: v1}}
            - {name: v2, labels: {version: v2}}
          """;

  private static final String VIRTUAL_SERVICE = """
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: reviews}
          spec:
            hosts: [reviews]
            http:
            - name: flag-checkout-v2
              match:
              - headers:
                  x-flag-checkout: {exact: v2}
              route:
              - destination: {host: reviews, subset: v2}
            - name: default
              route:
              - destination: {host: reviews, subset: v1}
          """;

  private static final String HTTP_ROUTE = """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: reviews}
          spec:
            parentRefs:
            - {group: "", kind: Service, name: reviews, port: 9080}
            rules:
            - matches:
              - headers:
                - {type: Exact, name: x-flag-checkout, value: v2}
              backendRefs:
              - {name: reviews-v2, port: 9080}
            - backendRefs:
              - {name: reviews-v1, port: 9080}
          """;

  private static final String GRPC_ROUTE = """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GRPCRoute
          metadata: {name: reviews, namespace: shop, labels: {app: reviews}}
          spec:
            parentRefs:
            - {group: "", kind: Service, name: reviews, port: 9090}
            rules:
            - matches:
              - method: {service: shop.Reviews, method: GetReview}
                headers:
                - {type: Exact, name: x-flag-checkout, value: v2}
              backendRefs:
              - {name: reviews-v2, port: 9090, weight: 1}
            - backendRefs:
              - {name: reviews-v1, port: 9090}
          """;

  @BeforeAll
  static void loadValidator() {
    validator = CrdSchemaValidator.shared();
  }

  @Test
  void meshRulesExamplesAreValid() {
    assertEquals(List.of(), validator.validateYaml(DESTINATION_RULE + "---\n" + VIRTUAL_SERVICE));
    assertEquals(List.of(), validator.validateYaml(HTTP_ROUTE));
  }

  @Test
  void everyYamlBlockInMeshRulesIsValid() throws IOException {
    Path rules = validator.schemasDir().resolveSibling("MESH-RULES.md");
    Matcher blocks = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(rules));
    int count = 0;
    while (blocks.find()) {
      count++;
      assertEquals(List.of(), validator.validateYaml(blocks.group(1)), "yaml block " + count + " of " + rules);
    }
    assertTrue(count >= 2, "expected the Istio and Gateway API examples in " + rules);
  }

  @Test
  void grpcRouteIsValid() {
    assertEquals(List.of(), validator.validateYaml(GRPC_ROUTE));
  }

  @Test
  void richerResourcesAreValid() {
    String yaml = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: shop, annotations: {owner: team-a}}
            spec:
              host: reviews.shop.svc.cluster.local
              trafficPolicy:
                connectionPool: {http: {http1MaxPendingRequests: 10, idleTimeout: 30s}}
                outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
                loadBalancer: {consistentHash: {httpHeaderName: x-user}}
              subsets:
              - {name: v2, labels: {version: v2}, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - headers: {x-flag-checkout: {regex: "(?i)v2|beta"}}
                  withoutHeaders: {x-canary: {prefix: "no"}}
                  uri: {prefix: /api}
                route:
                - {destination: {host: reviews, subset: v2, port: {number: 9080}}, weight: 90}
                - {destination: {host: reviews, subset: v1}, weight: 10}
                timeout: 5s
                retries: {attempts: 3, perTryTimeout: 2s, retryOn: 5xx}
                headers: {request: {set: {x-routed: "true"}}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: reviews}
            spec:
              parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /api}
                  headers: [{type: RegularExpression, name: X-Flag-Checkout, value: "v2|beta"}]
                  method: GET
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x-routed, value: "true"}]}
                backendRefs: [{name: reviews-v2, port: 9080, weight: 90}, {name: reviews-v1, port: 9080, weight: 10}]
                timeouts: {request: 5s}
            """;
    assertEquals(List.of(), validator.validateYaml(yaml));
  }

  @Test
  void validatesParsedMaps() {
    Map<String, Object> route = Map.of(
        "apiVersion", "gateway.networking.k8s.io/v1",
        "kind", "HTTPRoute",
        "metadata", Map.of("name", "reviews"),
        "spec", Map.of("rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "reviews-v1", "port", 9080))))));
    assertEquals(List.of(), validator.validate(route));
  }

  @Test
  void presenceOnlyStringMatchIsValid() {
    assertEquals(List.of(), validator.validateYaml(VIRTUAL_SERVICE.replace("{exact: v2}", "{}")));
  }

  @Test
  void nullableFieldAcceptsNull() {
    String yaml = DESTINATION_RULE + """
              trafficPolicy:
                loadBalancer:
                  localityLbSetting: {enabled: null}
            """;
    assertEquals(List.of(), validator.validateYaml(yaml));
  }

  @Test
  void rejectsUnknownFieldInRoute() {
    String yaml = VIRTUAL_SERVICE.replace("  - name: default\n", "  - name: default\n    foo: 1\n");
    assertSingleError(yaml, "$.spec.http[1]", "foo");
  }

  @Test
  void rejectsMisspelledStringMatch() {
    assertSingleError(VIRTUAL_SERVICE.replace("{exact: v2}", "{exakt: v2}"),
        "$.spec.http[0].match[0].headers['x-flag-checkout']", "exakt");
  }

  @Test
  void rejectsStringMatchWithTwoKinds() {
    List<String> errors = validator.validateYaml(VIRTUAL_SERVICE.replace("{exact: v2}", "{exact: v2, prefix: v}"));
    assertTrue(errors.stream().anyMatch(e -> e.contains("x-flag-checkout") && e.contains("only one schema")),
        errors.toString());
  }

  @Test
  void rejectsWrongTypes() {
    assertSingleError(HTTP_ROUTE.replace("{name: reviews-v2, port: 9080}", "{name: reviews-v2, port: 9080, weight: \"x\"}"),
        "$.spec.rules[0].backendRefs[0].weight", "integer expected");
    assertSingleError(VIRTUAL_SERVICE.replace("subset: v1}", "subset: v1}\n      weight: \"x\""),
        "$.spec.http[1].route[0].weight", "integer expected");
  }

  @Test
  void rejectsValuesOutsideSchemaLimits() {
    assertSingleError(VIRTUAL_SERVICE.replace("subset: v1}", "subset: v1}\n      weight: 3000000000"),
        "$.spec.http[1].route[0].weight", "2147483647");
    assertSingleError(HTTP_ROUTE.replace("name: x-flag-checkout", "name: \":authority\""),
        "$.spec.rules[0].matches[0].headers[0].name", "pattern");
    assertSingleError(HTTP_ROUTE.replace("type: Exact", "type: Prefix"),
        "$.spec.rules[0].matches[0].headers[0].type", "enum");
  }

  @Test
  void checksApiVersionKindAndMetadata() {
    assertSingleError(VIRTUAL_SERVICE.replace("{name: reviews}", "{name: reviews, owner: me}"), "$.metadata", "owner");
    assertSingleError(VIRTUAL_SERVICE.replace("{name: reviews}", "{name: Reviews}"), "$.metadata.name", "pattern");
    assertSingleError(DESTINATION_RULE.replace("{name: reviews}", "{name: reviews, labels: {tier: 2}}"),
        "$.metadata.labels.tier", "string expected");
    assertSingleError(VIRTUAL_SERVICE.replace("metadata: {name: reviews}\n", ""), "$", "metadata");
    assertSingleError(VIRTUAL_SERVICE.replace("networking.istio.io/v1", "networking.istio.io/v2"), "$", "no CRD");
    assertSingleError(VIRTUAL_SERVICE.replace("apiVersion: networking.istio.io/v1\n", ""), "$", "apiVersion");
  }

  @Test
  void rejectsEmptyYaml() {
    assertEquals(List.of("no YAML document found"), validator.validateYaml("---\n# nothing\n"));
  }

  @Test
  void prefixesErrorsWithTheirDocument() {
    List<String> errors = validator.validateYaml(DESTINATION_RULE + "---\n" + VIRTUAL_SERVICE.replace("exact", "exakt"));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("document 2 (VirtualService reviews): $.spec"), errors.get(0));
  }

  @Test
  void strictSchemaPinsKindAndClosesObjects() {
    Map<String, Object> schema = validator.strictSchema(
        new CrdSchemaValidator.CrdId("networking.istio.io", "v1", "VirtualService"));
    assertEquals(false, schema.get("additionalProperties"));
    assertEquals(List.of("apiVersion", "kind", "metadata"), schema.get("required"));
    assertFalse(schema.toString().contains("x-kubernetes-"));
  }

  @Test
  void reusesValidatorPerFolder() {
    assertSame(validator, CrdSchemaValidator.shared());
  }

  @Test
  void missingFolderFailsLoudly(@TempDir Path tmp) {
    Path missing = tmp.resolve("no-such-schemas");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CrdSchemaValidator.forDirectory(CrdSchemaValidator.resolveSchemasDir(missing.toString(), tmp)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(CrdSchemaValidator.SCHEMAS_DIR_PROPERTY), e.getMessage());
  }

  @Test
  void defaultFolderIsFoundByWalkingUp(@TempDir Path tmp) throws IOException {
    Path schemas = Files.createDirectories(tmp.resolve("shared/schemas"));
    Path module = Files.createDirectories(tmp.resolve("main/core"));
    assertEquals(schemas, CrdSchemaValidator.resolveSchemasDir(null, module));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CrdSchemaValidator.resolveSchemasDir("", tmp.getRoot()));
    assertTrue(e.getMessage().contains(CrdSchemaValidator.SCHEMAS_DIR_PROPERTY), e.getMessage());
  }

  @Test
  void folderWithoutCrdsFailsLoudly(@TempDir Path tmp) {
    CrdSchemaValidator empty = CrdSchemaValidator.forDirectory(tmp);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> empty.validateYaml(HTTP_ROUTE));
    assertTrue(e.getMessage().contains("no CustomResourceDefinition"), e.getMessage());
  }

  private static void assertSingleError(String yaml, String path, String fragment) {
    List<String> errors = validator.validateYaml(yaml);
    assertEquals(1, errors.size(), errors.toString());
    String error = errors.get(0);
    assertTrue(error.contains("): " + path + ": ") && error.contains(fragment), error);
  }
}
