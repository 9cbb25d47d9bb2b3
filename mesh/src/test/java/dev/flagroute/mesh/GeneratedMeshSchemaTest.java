package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Every document flagroute generates validates strictly against the real CRD schemas (Istio 1.30
 * VirtualService and DestinationRule, Gateway API v1.6 HTTPRoute and GRPCRoute): unknown fields,
 * wrong types and violated patterns or limits are errors. Core {@code v1} Services have no CRD and
 * are the only documents not validated. Runs in the {@code crd-schemas} profile.
 */
@Tag("crd-schemas")
class GeneratedMeshSchemaTest {
  private static final CrdSchemaValidator VALIDATOR = CrdSchemaValidator.shared();

  @Property(tries = 150)
  void generatedDocumentsValidateAgainstTheCrds(@ForAll("routes") FlagRoutes routes,
      @ForAll("codecs") HeaderCodec codec, @ForAll boolean customized) {
    MeshOptions options = customized
        ? MeshOptions.builder().namespace("shop").port(9080).namePrefix("flags-").label("team", "checkout")
            .versionLabel("example.com/version").grpc(routes.services().iterator().next()).build()
        : MeshOptions.defaults();
    MeshGenerator generator = MeshGenerator.of(routes, codec, options);
    for (MeshFormat format : MeshFormat.all()) {
      List<Map<String, Object>> documents = MeshYaml.read(generator.yaml(format), format.id());
      for (Map<String, Object> document : documents) {
        if ("v1".equals(document.get("apiVersion"))) {
          assertThat(document.get("kind")).isEqualTo("Service");
          continue;
        }
        assertThat(VALIDATOR.validate(document)).as("%s", document).isEmpty();
      }
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
