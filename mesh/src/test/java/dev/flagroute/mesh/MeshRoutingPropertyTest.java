package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.mesh.rules.Hit;
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
 * The mesh routes on exactly what the application stamps: for any routes, any decided context,
 * every codec and every format, the generated rules (written to YAML and read back) send each
 * service's request to the decided variant's version, with the format's own semantics.
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
    for (MeshFormat format : MeshFormat.all()) {
      MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(generator.yaml(format), format.id());
      for (String service : routes.services()) {
        String version = MeshArbitraries.expectedVersion(routes, service, context);
        assertThat(mesh.route(service, request)).as("%s %s for %s", format, service, headers)
            .hasValueSatisfying(route -> assertThat(route.destinations()).hasSize(1));
        Hit hit = mesh.table().rulesFor(service).hit(request).orElseThrow();
        assertThat(mesh.table().versions(service, hit.rule(), options)).as("%s %s for %s", format, service, headers)
            .containsExactly(version);
      }
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
