package dev.flagroute.mesh;

import static dev.flagroute.mesh.MeshFixtures.TWO_FLAGS;
import static dev.flagroute.mesh.MeshFixtures.headers;
import static dev.flagroute.mesh.MeshFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the evaluator does for every format: telling the format by the documents' kinds, refusing
 * mixed formats and bad YAML, and serving many threads. Each format's own semantics are tested
 * beside it ({@code istio/}, {@code gateway/}).
 */
class MeshRouteEvaluatorTest {
  private static final MeshGenerator GENERATOR = MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(),
      MeshOptions.defaults());

  @Test
  void theFormatIsToldByTheRoutingKinds() {
    MeshGenerator oneOtherVersion = MeshGenerator.of(MeshFixtures.exampleRoutes(), HeaderCodec.perFlag(),
        MeshOptions.defaults());
    for (MeshFormat format : MeshFormat.all()) {
      assertThat(MeshRouteEvaluator.parse(oneOtherVersion.yaml(format), format.id()).format()).as(format.id())
          .isSameAs(format == MeshFormat.LINKERD ? MeshFormat.GATEWAY_API : format);
    }
    String linkerd = oneOtherVersion.yaml(MeshFormat.LINKERD);
    assertThat(MeshRouteEvaluator.parse(linkerd + oneOtherVersion.yaml(MeshFormat.GATEWAY_API), "both").format())
        .as("Gateway API written for two releases is one format, not a mix").isSameAs(MeshFormat.GATEWAY_API);
    assertThat(MeshRouteEvaluator.of(MeshFormat.LINKERD, MeshYaml.read(linkerd, "linkerd")).format())
        .isSameAs(MeshFormat.LINKERD);
    assertThat(MeshRouteEvaluator.of(List.of(Map.of("apiVersion", "v1", "kind", "Service"))).format())
        .as("no routing documents: the first format").isSameAs(MeshFormat.all().get(0));
  }

  @Test
  void headerValuesLoseSurroundingSpacesAndTabsAsHttpParsersDropThem() {
    MeshRequest padded = MeshRequest.builder().header("x-flag-checkout", " \tv2 ").build();

    assertThat(padded.header("x-flag-checkout")).isEqualTo("v2");
    for (MeshFormat format : List.of(MeshFormat.ISTIO, MeshFormat.GATEWAY_API, MeshFormat.CONSUL)) {
      MeshRouteEvaluator mesh = MeshRouteEvaluator.of(format, MeshYaml.read(GENERATOR.yaml(format), format.id()));
      assertThat(version(mesh, padded)).as(format.id()).isEqualTo("v2");
    }
  }

  @Test
  void envoyMatchesARepeatedHeaderJoinedAndLinkerdEachValueOnItsOwn() {
    MeshRequest twice = MeshRequest.builder().header("x-flag-checkout", "v2").header("X-Flag-Checkout", "v2").build();
    List<Map<String, Object>> docs = MeshYaml.read(GENERATOR.yaml(MeshFormat.LINKERD), "linkerd");

    assertThat(twice.header("x-flag-checkout")).isEqualTo("v2,v2");
    assertThat(twice.headerValues("x-flag-checkout")).containsExactly("v2", "v2");
    assertThat(version(MeshRouteEvaluator.of(MeshFormat.GATEWAY_API, docs), twice)).as("Envoy: 'v2,v2' is not v2")
        .isEqualTo("v1");
    assertThat(version(MeshRouteEvaluator.of(MeshFormat.LINKERD, docs), twice)).as("linkerd2-proxy: a value is v2")
        .isEqualTo("v2");
  }

  @Test
  void linkerdNeedsTheLeftmostFirstRegexMatchToSpanTheValue() {
    String route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: reviews}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
          rules:
          - matches: [{headers: [{type: RegularExpression, name: x-flag-checkout, value: "a|ab"}]}]
            backendRefs: [{name: reviews-v2, port: 9080}]
          - backendRefs: [{name: reviews-v1, port: 9080}]
        """;
    MeshRequest ab = MeshRequest.of(Map.of("x-flag-checkout", "ab"));

    assertThat(MeshRouteEvaluator.of(MeshFormat.GATEWAY_API, MeshYaml.read(route, "r")).route("reviews", ab)
        .orElseThrow().destinations().get(0).host()).isEqualTo("reviews-v2");
    assertThat(MeshRouteEvaluator.of(MeshFormat.LINKERD, MeshYaml.read(route, "r")).route("reviews", ab)
        .orElseThrow().destinations().get(0).host()).isEqualTo("reviews-v1");
  }

  private static String version(MeshRouteEvaluator mesh, MeshRequest request) {
    return String.join("+", mesh.table().versions("reviews",
        mesh.table().rulesFor("reviews").hit(request).orElseThrow().rule(), MeshOptions.defaults()));
  }

  @Test
  void badYamlAndMixedFormatsAreReported() {
    assertThatThrownBy(() -> MeshRouteEvaluator.parse("a: [", "broken.yaml"))
        .hasMessageStartingWith("broken.yaml: invalid mesh rules:\n  - not valid YAML:");
    assertThatThrownBy(() -> MeshRouteEvaluator.parse("- just\n- a list\n", "list.yaml"))
        .hasMessageContaining("document 1: expected a mapping with string keys");
    String mixed = GENERATOR.yaml(MeshFormat.ISTIO) + GENERATOR.yaml(MeshFormat.GATEWAY_API);
    assertThatThrownBy(() -> MeshRouteEvaluator.parse(mixed, "mixed.yaml"))
        .isInstanceOf(InvalidMeshException.class)
        .hasMessageContaining("the documents mix istio rules (VirtualService) and gateway-api rules (HTTPRoute or"
            + " GRPCRoute); evaluate each format on its own with of(MeshFormat, documents)");
    List<Map<String, Object>> both = MeshYaml.read(mixed, "mixed.yaml");
    for (MeshFormat format : List.of(MeshFormat.ISTIO, MeshFormat.GATEWAY_API, MeshFormat.LINKERD)) {
      assertThat(MeshRouteEvaluator.of(format, both).route("reviews", headers()).orElseThrow().resource())
          .as("one format among both").startsWith(format == MeshFormat.ISTIO ? "VirtualService" : "HTTPRoute");
    }
    String consul = GENERATOR.yaml(MeshFormat.CONSUL);
    assertThatThrownBy(() -> MeshRouteEvaluator.parse(mixed + consul, "three.yaml"))
        .hasMessageContaining("the documents mix istio rules (VirtualService) and gateway-api rules (HTTPRoute or"
            + " GRPCRoute) and consul rules (ServiceRouter)");
    assertThat(MeshYaml.read("kind: List\nitems:\n- {kind: A}\n- {kind: B}\n---\n", "list.yaml")).hasSize(2);
  }

  @Test
  void oneEvaluatorServesManyThreads() throws Exception {
    MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(GENERATOR.yaml(MeshFormat.GATEWAY_API), "gateway.yaml");
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
            String expected = flagged ? "spec.rules[0]" : "spec.rules[2]";
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
