package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderMatch;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshGeneratorTest {
  static final FlagRoutes TWO_FLAGS = FlagRoutes.of(
      FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
          .build(),
      FlagRoute.builder("ratings").service("reviews").variant("off", "v1").variant("on", "v3").defaultVariant("off")
          .build());

  static String resource(String name) {
    try (InputStream in = MeshGeneratorTest.class.getResourceAsStream("/mesh/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static FlagRoutes exampleRoutes() {
    return FlagRoutesFile.parse(resource("example-routes.yaml"), "example-routes.yaml");
  }

  @Test
  void istioOutputIsTheReferenceExample() {
    MeshOptions options = MeshOptions.builder().clearLabels().build();
    String yaml = MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), options).yaml(MeshFormat.ISTIO);
    assertThat(yaml).isEqualTo(resource("example-istio.yaml"));
  }

  @Test
  void gatewayApiOutputIsTheReferenceExample() {
    MeshOptions options = MeshOptions.builder().clearLabels().port(9080).build();
    String yaml = MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), options).yaml(MeshFormat.GATEWAY_API);
    assertThat(yaml).isEqualTo(resource("example-gateway-api.yaml"));
  }

  @Test
  void backingResourcesComeBeforeRoutesInServiceOrder() {
    FlagRoutes routes = FlagRoutes.of(flag("a", "reviews"), flag("b", "cart"));
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults());
    assertThat(generator.generate(MeshFormat.ISTIO)).extracting(MeshGeneratorTest::kindAndName).containsExactly(
        "DestinationRule reviews", "DestinationRule cart", "VirtualService reviews", "VirtualService cart");
    assertThat(generator.generate(MeshFormat.GATEWAY_API)).extracting(MeshGeneratorTest::kindAndName).containsExactly(
        "Service reviews-v1", "Service reviews-v2", "Service cart-v1", "Service cart-v2", "HTTPRoute reviews",
        "HTTPRoute cart");
  }

  @Test
  void istioPutsCombinationsFirstThenFlagsInDeclarationOrderThenTheDefault() {
    List<?> http = (List<?>) spec(MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(), MeshOptions.defaults())
        .generate(MeshFormat.ISTIO).get(1)).get("http");
    assertThat(http.stream().map(r -> (Object) ((Map<?, ?>) r).get("name")).toList())
        .containsExactly("flags-checkout-v2-and-ratings-on", "flag-checkout-v2", "flag-ratings-on", "default");
    assertThat(MeshGenerator.of(TWO_FLAGS, HeaderCodec.perFlag(), MeshOptions.defaults()).yaml(MeshFormat.ISTIO))
        .contains("""
                - name: flags-checkout-v2-and-ratings-on
                  match:
                    - headers:
                        x-flag-checkout:
                          exact: v2
                        x-flag-ratings:
                          exact: 'on'
                  route:
                    - destination:
                        host: reviews
                        subset: v2
            """);
  }

  @Test
  void combinationsOnlyWhereVersionsDiffer() {
    FlagRoutes sameVersion = FlagRoutes.of(TWO_FLAGS.asList().get(0),
        FlagRoute.builder("ratings").service("reviews").variant("off", "v1").variant("on", "v2").defaultVariant("off")
            .build());
    String yaml = MeshGenerator.of(sameVersion, HeaderCodec.perFlag(), MeshOptions.defaults()).yaml(MeshFormat.ISTIO);
    assertThat(yaml).doesNotContain("flags-").contains("name: flag-checkout-v2", "name: flag-ratings-on");
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
  void headerNamesAreLowercaseWhateverTheKeyOrPrefix() {
    FlagRoutes routes = FlagRoutes.of(flag("Dark-Mode", "reviews"));
    assertThat(MeshGenerator.of(routes, HeaderCodec.perFlag("X-Ab-"), MeshOptions.defaults()).yaml(MeshFormat.ISTIO))
        .contains("x-ab-dark-mode:").doesNotContain("Dark-Mode:", "X-Ab");
    assertThat(MeshGenerator.of(routes, HeaderCodec.combined("X-Flags"), MeshOptions.defaults())
        .yaml(MeshFormat.GATEWAY_API)).contains("name: x-flags").contains("Dark-Mode");
  }

  @Test
  void stringsThatYaml11ReadsAsOtherTypesAreQuoted() {
    FlagRoutes routes = FlagRoutes.of(FlagRoute.builder("f").service("reviews").variant("off", "v1")
        .variant("on", "v2").variant("yes", "v3").variant("No", "v4").variant("0777", "v5").variant("1e3", "v6")
        .variant("y", "v7").variant("plain", "v8").defaultVariant("off").build());
    String yaml = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults()).yaml(MeshFormat.ISTIO);
    assertThat(yaml).contains("exact: 'on'", "exact: 'yes'", "exact: 'No'", "exact: '0777'", "exact: '1e3'",
        "exact: 'y'", "exact: plain", "name: flag-f-on");
    assertThat(MeshYaml.read(yaml, "t").get(1).toString()).contains("exact=0777", "exact=1e3", "exact=on");
  }

  @Test
  void optionsNameNamespaceLabelAndAddressResources() {
    MeshOptions options = MeshOptions.builder().namespace("shop").port(9080).port("cart", 7070).namePrefix("flags-")
        .appLabel("app.kubernetes.io/name").versionLabel("example.com/version").label("team", "checkout")
        .grpc("cart").build();
    FlagRoutes routes = FlagRoutes.of(flag("a", "reviews"), flag("b", "cart"));
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.perFlag(), options);
    String istio = generator.yaml(MeshFormat.ISTIO);
    assertThat(istio).contains("""
        metadata:
          name: flags-reviews
          namespace: shop
          labels:
            app.kubernetes.io/managed-by: flagroute
            team: checkout
        """, """
                - name: v2
                  labels:
                    example.com/version: v2
            """, """
                        port:
                          number: 7070
            """);
    String gateway = generator.yaml(MeshFormat.GATEWAY_API);
    assertThat(gateway).contains("kind: GRPCRoute", "kind: HTTPRoute", "name: grpc", "appProtocol: kubernetes.io/h2c",
        """
          selector:
            app.kubernetes.io/name: cart
            example.com/version: v2
        """);
    assertThat(MeshRouteEvaluator.parse(gateway, "g").route("cart", MeshRequest.of(Map.of("x-flag-b", "v2"))))
        .hasValueSatisfying(r -> assertThat(r.resource()).isEqualTo("GRPCRoute shop/flags-cart"));
  }

  @Test
  void istioLeavesThePortToTheMeshUnlessConfigured() {
    assertThat(MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), MeshOptions.defaults())
        .yaml(MeshFormat.ISTIO)).doesNotContain("port");
  }

  @Test
  void grpcServicesMustBeRouted() {
    MeshOptions options = MeshOptions.builder().grpc("payments").build();
    assertThatThrownBy(() -> MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), options))
        .hasMessageContaining("gRPC service 'payments' is not steered by any flag; routed services are [reviews]");
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

  @Test
  void tooManyCombinationsAreRefused() {
    FlagRoute[] flags = new FlagRoute[5];
    for (int f = 0; f < flags.length; f++) {
      FlagRoute.Builder b = FlagRoute.builder("f" + f).service("reviews").variant("off", "v0").defaultVariant("off");
      for (int v = 1; v <= 4; v++) {
        b.variant("on" + v, "v" + (f * 4 + v));
      }
      flags[f] = b.build();
    }
    assertThatThrownBy(() -> MeshGenerator.of(FlagRoutes.of(flags), HeaderCodec.perFlag(), MeshOptions.defaults()))
        .hasMessageContaining("service 'reviews': its 5 flags need more than 1024 combination rules");
    assertThat(MeshGenerator.of(FlagRoutes.of(flags), HeaderCodec.combined(), MeshOptions.defaults())
        .generate(MeshFormat.ISTIO)).hasSize(2);
  }

  @Test
  void optionsRejectBadValues() {
    assertThatThrownBy(() -> MeshOptions.builder().namespace("Shop")).hasMessageContaining("namespace 'Shop'");
    assertThatThrownBy(() -> MeshOptions.builder().port(0)).hasMessageContaining("port 0");
    assertThatThrownBy(() -> MeshOptions.builder().versionLabel("bad key!")).hasMessageContaining("label key");
    assertThatThrownBy(() -> MeshOptions.builder().grpc("Bad_Service")).hasMessageContaining("service 'Bad_Service'");
    assertThat(MeshOptions.builder().port(8080).build().toBuilder().build())
        .isEqualTo(MeshOptions.builder().port(8080).build());
  }

  @Test
  void formatsAreNamedAsOnTheCommandLine() {
    assertThat(MeshFormat.of("Gateway-API")).isEqualTo(MeshFormat.GATEWAY_API);
    assertThatThrownBy(() -> MeshFormat.of("linkerd"))
        .hasMessage("unknown mesh format 'linkerd'; expected one of [istio, gateway-api]");
  }

  static FlagRoute flag(String key, String service) {
    return FlagRoute.builder(key).service(service).variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build();
  }

  static String kindAndName(Map<String, Object> document) {
    return document.get("kind") + " " + ((Map<?, ?>) document.get("metadata")).get("name");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(Map<String, Object> document) {
    return (Map<String, Object>) document.get("spec");
  }
}
