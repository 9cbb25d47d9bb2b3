package dev.flagroute.mesh.internal.ambient;

import static dev.flagroute.mesh.MeshFixtures.TWO_FLAGS;
import static dev.flagroute.mesh.MeshFixtures.exampleRoutes;
import static dev.flagroute.mesh.MeshFixtures.headers;
import static dev.flagroute.mesh.MeshFixtures.kindAndName;
import static dev.flagroute.mesh.MeshFixtures.resource;
import static dev.flagroute.mesh.MeshFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.mesh.Drift;
import dev.flagroute.mesh.MeshDriftCheck;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.mesh.MeshYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Istio ambient: the waypoint, the Services bound to it, per-version Services and Gateway API
 * routes; evaluated as a waypoint runs them; and the drift only ambient has (routes the waypoint
 * never sees, ingress traffic that skips it, VirtualServices beside HTTPRoutes).
 */
class IstioAmbientFormatTest {
  private static final MeshOptions OPTIONS = MeshOptions.builder().clearLabels().port(9080).build();

  @Test
  void ambientOutputIsTheReferenceExample() {
    String yaml = MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS).yaml(MeshFormat.ISTIO_AMBIENT);
    assertThat(yaml).isEqualTo(resource("example-istio-ambient.yaml"));
  }

  @Test
  void writesTheWaypointFirstThenBoundServicesThenRoutesAndNeverAVirtualService() {
    List<Map<String, Object>> docs = MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(),
        MeshOptions.builder().namespace("shop").waypoint("shop-waypoint").build()).generate(MeshFormat.ISTIO_AMBIENT);
    assertThat(docs).extracting(d -> kindAndName(d)).containsExactly("Gateway shop-waypoint", "Service reviews",
        "Service reviews-v1", "Service reviews-v2", "Service reviews-v3", "HTTPRoute reviews");
    assertThat(docs).extracting(d -> d.get("kind")).doesNotContain("VirtualService", "DestinationRule");
    Map<?, ?> gateway = (Map<?, ?>) docs.get(0).get("spec");
    assertThat(gateway.get("gatewayClassName")).isEqualTo("istio-waypoint");
    assertThat(gateway.get("listeners")).isEqualTo(List.of(Map.of("name", "mesh", "port", 15008, "protocol", "HBONE")));
    assertThat(labels(docs, "Gateway", "shop-waypoint")).containsEntry("istio.io/waypoint-for", "service");
    assertThat(labels(docs, "Service", "reviews")).containsEntry("istio.io/use-waypoint", "shop-waypoint")
        .containsEntry("istio.io/ingress-use-waypoint", "true");
    assertThat(((Map<?, ?>) docs.get(1).get("spec")).get("selector")).isEqualTo(Map.of("app", "reviews"));
  }

  @Test
  void generatedRulesRouteLikeTheGatewayApiOnesAndShowNoDrift() {
    for (HeaderCodec codec : List.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage())) {
      String yaml = MeshGenerator.of(TWO_FLAGS, codec, OPTIONS).yaml(MeshFormat.ISTIO_AMBIENT);
      MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml, "ambient.yaml");
      assertThat(mesh.format()).isSameAs(MeshFormat.ISTIO_AMBIENT);
      List<Drift> drift = MeshDriftCheck.of(TWO_FLAGS, codec, OPTIONS).check(MeshYaml.read(yaml, "ambient.yaml"));
      assertThat(drift).as(codec.toString()).isEmpty();
    }
  }

  @Test
  void aRouteOnAServiceNoWaypointServesAppliesToNothingAndIsReported() {
    List<Map<String, Object>> docs = generated();
    labels(docs, "Service", "reviews").remove("istio.io/use-waypoint");
    MeshRouteEvaluator mesh = MeshRouteEvaluator.of(docs);
    assertThat(rule(mesh, "reviews", headers("x-flag-checkout", "v2"))).isEqualTo("none");

    List<Drift> drift = MeshDriftCheck.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS).check(docs);
    assertThat(drift).filteredOn(d -> d.kind() == Drift.Kind.NOT_APPLIED).singleElement()
        .satisfies(d -> {
          assertThat(d.message()).contains("no waypoint serves", "istio.io/use-waypoint");
          assertThat(d.affects()).isEqualTo("every request to reviews, flagged or not");
        });
    assertThat(drift).extracting(Drift::kind).contains(Drift.Kind.MISSING_RULE);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aNamespaceLabelBindsItsServicesAndNoneOptsOneOut() {
    List<Map<String, Object>> docs = generated();
    Map<String, Object> labels = labels(docs, "Service", "reviews");
    labels.remove("istio.io/use-waypoint");
    labels.remove("istio.io/ingress-use-waypoint");
    docs.forEach(d -> ((Map<String, Object>) d.get("metadata")).put("namespace", "shop"));
    Map<String, Object> namespace = new java.util.LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "Namespace",
        "metadata", new java.util.LinkedHashMap<>(Map.of("name", "shop", "labels", new java.util.LinkedHashMap<>(
            Map.of("istio.io/use-waypoint", "waypoint", "istio.io/ingress-use-waypoint", "true"))))));
    docs.add(namespace);
    assertThat(MeshDriftCheck.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS).check(docs)).isEmpty();

    labels.put("istio.io/use-waypoint", "none");
    assertThat(rule(MeshRouteEvaluator.of(docs), "reviews", headers("x-flag-checkout", "v2"))).isEqualTo("none");
  }

  @Test
  void ingressTrafficSkippingTheWaypointIsReported() {
    List<Map<String, Object>> docs = generated();
    labels(docs, "Service", "reviews").remove("istio.io/ingress-use-waypoint");
    List<Drift> drift = MeshDriftCheck.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS).check(docs);
    assertThat(drift).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Drift.Kind.NOT_APPLIED);
      assertThat(d.where()).isEqualTo("HTTPRoute reviews");
      assertThat(d.message()).contains("istio.io/ingress-use-waypoint", "edge's first callee");
      assertThat(d.affects()).isEqualTo("every request reaching reviews through an ingress gateway");
    });
  }

  @Test
  void aServiceUsingAWaypointTheDocumentsDoNotDefineIsReported() {
    List<Map<String, Object>> docs = generated();
    labels(docs, "Service", "reviews").put("istio.io/use-waypoint", "elsewhere");
    List<Drift> drift = MeshDriftCheck.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS).check(docs);
    assertThat(drift).singleElement().satisfies(d -> assertThat(d.message())
        .contains("uses waypoint 'elsewhere'", "define no Gateway 'elsewhere' of class istio-waypoint"));
  }

  @Test
  void routesWhoseServiceTheDocumentsDoNotHoldAreReportedAsUnproven() {
    List<Map<String, Object>> docs = new ArrayList<>(generated());
    docs.removeIf(d -> kindAndName(d).equals("Service reviews"));
    List<Drift> drift = MeshDriftCheck.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS).check(docs);
    assertThat(drift).singleElement().satisfies(d -> assertThat(d.message())
        .contains("hold neither that Service nor its Namespace", "silently does not apply"));
  }

  @Test
  void aVirtualServiceBesideAnHttpRouteForOneHostIsAConflict() {
    List<Map<String, Object>> docs = new ArrayList<>(generated());
    docs.addAll(MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS).generate(MeshFormat.ISTIO));
    List<Drift> drift = MeshDriftCheck.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS).check(docs);
    assertThat(drift).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Drift.Kind.CONFLICT);
      assertThat(d.where()).isEqualTo("service reviews");
      assertThat(d.message()).contains("both a VirtualService and an HTTPRoute or GRPCRoute (istio-ambient)");
      assertThat(d.affects()).isEqualTo("every request to reviews");
    });
  }

  private static List<Map<String, Object>> generated() {
    return new ArrayList<>(MeshYaml.read(MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), OPTIONS)
        .yaml(MeshFormat.ISTIO_AMBIENT), "ambient.yaml"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> labels(List<Map<String, Object>> docs, String kind, String name) {
    Map<String, Object> doc = docs.stream().filter(d -> kindAndName(d).equals(kind + " " + name)).findFirst()
        .orElseThrow();
    return (Map<String, Object>) ((Map<String, Object>) doc.get("metadata")).get("labels");
  }
}
