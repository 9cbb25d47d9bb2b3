package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoutes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The mesh routes on exactly what the application stamps: for any routes, any decided context and
 * every codec, the generated rules (written to YAML and read back) send each service's request to
 * the decided variant's version, with Istio first-match and Gateway API precedence semantics.
 */
class MeshRoutingPropertyTest {

  @Property(tries = 400)
  void generatedRulesRouteTheStampedVariant(@ForAll("routes") FlagRoutes routes, @ForAll("codecs") HeaderCodec codec,
      @ForAll @Size(9) List<@IntRange(min = -1, max = 7) Integer> choices, @ForAll boolean grpc) {
    FlagContext context = MeshArbitraries.context(routes, choices);
    Map<String, String> headers = new HashMap<>();
    codec.inject(context, headers, HeaderSetter.forMap());
    MeshRequest request = MeshRequest.of(headers);
    MeshOptions options = grpc ? MeshOptions.builder().grpc(routes.services().toArray(String[]::new)).build()
        : MeshOptions.defaults();
    MeshGenerator generator = MeshGenerator.of(routes, codec, options);

    MeshRouteEvaluator istio = MeshRouteEvaluator.parse(generator.yaml(MeshFormat.ISTIO), "istio");
    MeshRouteEvaluator gateway = MeshRouteEvaluator.parse(generator.yaml(MeshFormat.GATEWAY_API), "gateway-api");
    for (String service : routes.services()) {
      String version = MeshArbitraries.expectedVersion(routes, service, context);
      assertThat(istio.route(service, request)).as("Istio %s for %s", service, headers)
          .hasValueSatisfying(route -> assertThat(route.destinations())
              .containsExactly(new MeshDestination(service, version, null, 100)));
      assertThat(gateway.route(service, request)).as("Gateway API %s for %s", service, headers)
          .hasValueSatisfying(route -> assertThat(route.destinations())
              .containsExactly(new MeshDestination(service + "-" + version, null, MeshOptions.DEFAULT_PORT, 1)));
    }
  }

  @Property(tries = 100)
  void generatedRulesHaveNoDrift(@ForAll("routes") FlagRoutes routes, @ForAll("codecs") HeaderCodec codec) {
    MeshGenerator generator = MeshGenerator.of(routes, codec, MeshOptions.defaults());
    MeshDriftCheck check = MeshDriftCheck.of(routes, codec, MeshOptions.defaults());
    for (MeshFormat format : MeshFormat.all()) {
      String yaml = generator.yaml(format);
      assertThat(check.check(MeshYaml.read(yaml, format.id()))).as(yaml).isEmpty();
      assertThat(generator.yaml(format)).as("deterministic").isEqualTo(yaml);
    }
  }

  @Provide
  Arbitrary<FlagRoutes> routes() {
    return MeshArbitraries.routes();
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return MeshArbitraries.codecs();
  }
}
