package dev.flagroute.mesh;

import static dev.flagroute.mesh.MeshFixtures.exampleRoutes;
import static dev.flagroute.mesh.MeshFixtures.flag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the generator does for every format: document order, header names, YAML quoting, options,
 * and the routes it refuses. Each format's own output is tested beside it ({@code istio/},
 * {@code gateway/}).
 */
class MeshGeneratorTest {
  @Test
  void backingResourcesComeBeforeRoutesInServiceOrder() {
    FlagRoutes routes = FlagRoutes.of(flag("a", "reviews"), flag("b", "cart"));
    MeshGenerator generator = MeshGenerator.of(routes, HeaderCodec.perFlag(), MeshOptions.defaults());
    assertThat(generator.generate(MeshFormat.ISTIO)).extracting(MeshFixtures::kindAndName).containsExactly(
        "DestinationRule reviews", "DestinationRule cart", "VirtualService reviews", "VirtualService cart");
    assertThat(generator.generate(MeshFormat.GATEWAY_API)).extracting(MeshFixtures::kindAndName).containsExactly(
        "Service reviews-v1", "Service reviews-v2", "Service cart-v1", "Service cart-v2", "HTTPRoute reviews",
        "HTTPRoute cart");
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
  void grpcServicesMustBeRouted() {
    MeshOptions options = MeshOptions.builder().grpc("payments").build();
    assertThatThrownBy(() -> MeshGenerator.of(exampleRoutes(), HeaderCodec.perFlag(), options))
        .hasMessageContaining("gRPC service 'payments' is not steered by any flag; routed services are [reviews]");
  }

  @Test
  void manyFlagsNeedOneRulePerVariantInFirstMatchOrder() {
    FlagRoute[] flags = new FlagRoute[12];
    for (int f = 0; f < flags.length; f++) {
      flags[f] = FlagRoute.builder("f" + f).service("reviews").variant("off", "v0").variant("on", "v" + (f + 1))
          .defaultVariant("off").build();
    }
    FlagRoutes routes = FlagRoutes.of(flags);
    for (HeaderCodec codec : List.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage())) {
      MeshGenerator generator = MeshGenerator.of(routes, codec, MeshOptions.defaults());
      for (MeshFormat format : List.of(MeshFormat.ISTIO, MeshFormat.ISTIO_AMBIENT, MeshFormat.GATEWAY_API,
          MeshFormat.gatewayApi(GatewayApiVersion.V1_1), MeshFormat.LINKERD, MeshFormat.CONSUL)) {
        List<Map<String, Object>> docs = generator.generate(format);
        Map<?, ?> spec = (Map<?, ?>) docs.get(docs.size() - 1).get("spec");
        Object rules = spec.containsKey("http") ? spec.get("http") : spec.containsKey("rules") ? spec.get("rules")
            : spec.get("routes");
        assertThat((List<?>) rules).as("%s %s", format, codec)
            .hasSize(format == MeshFormat.CONSUL ? 12 : 13);
        assertThat(MeshDriftCheck.of(routes, codec, MeshOptions.defaults()).check(docs)).as("%s %s", format, codec)
            .isEmpty();
      }
    }
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
    assertThat(MeshFormat.of("LINKERD")).isEqualTo(MeshFormat.LINKERD);
    assertThatThrownBy(() -> MeshFormat.of("kuma"))
        .hasMessage("unknown mesh format 'kuma'; expected one of [istio, istio-ambient, gateway-api, linkerd, consul,"
            + " smi]");
  }

  @Test
  void everyFormatIsListedOnceAndFoundByItsId() {
    assertThat(MeshFormat.all()).containsExactly(MeshFormat.ISTIO, MeshFormat.ISTIO_AMBIENT, MeshFormat.GATEWAY_API,
        MeshFormat.LINKERD, MeshFormat.CONSUL, MeshFormat.SMI);
    assertThatThrownBy(() -> MeshFormat.all().add(MeshFormat.ISTIO)).isInstanceOf(UnsupportedOperationException.class);
    for (MeshFormat format : MeshFormat.all()) {
      assertThat(MeshFormat.of(format.id())).isSameAs(format);
      assertThat(format.id()).matches("[a-z0-9-]+").isEqualTo(format.toString());
      assertThat(format.description()).isNotBlank();
    }
    assertThatThrownBy(() -> MeshFormat.of(null)).hasMessageStartingWith("unknown mesh format 'null'");
  }
}
