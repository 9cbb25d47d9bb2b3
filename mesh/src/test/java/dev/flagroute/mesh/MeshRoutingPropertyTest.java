package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.mesh.internal.rules.Hit;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.Mirror;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The mesh routes on exactly what the application stamps: for any routes, any decided context,
 * every codec and every format ({@link MeshFormat#all()}: Istio, Gateway API for v1.6 and, as
 * Linkerd, for v1.1, Consul, SMI), the generated rules (written to YAML and read back) send each
 * service's request to the decided variant's version and mirror it as the deciding variant says,
 * with the format's own semantics; or the format refuses the routes, exactly when
 * {@link MeshArbitraries#refusals} says it must, naming why. Each format routes at least a tenth
 * of the tries, and Linkerd (mirrors), Consul (mirrors) and SMI (mirrors, more than one
 * version besides the stable one, precedence needing an absent header) refuse at least a tenth.
 */
class MeshRoutingPropertyTest {

  @Property(tries = 300)
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
      Optional<String> yaml = MeshArbitraries.generate(generator, format, routes, options);
      Statistics.label(format.id()).collect(yaml.isPresent() ? "routed" : "refused");
      Statistics.label(format.id()).coverage(coverage -> {
        coverage.check("routed").percentage(p -> p >= 10);
        if (format == MeshFormat.LINKERD || format == MeshFormat.CONSUL || format == MeshFormat.SMI) {
          coverage.check("refused").percentage(p -> p >= 10);
        }
      });
      if (yaml.isEmpty()) {
        continue;
      }
      MeshRouteEvaluator mesh = MeshRouteEvaluator.parse(yaml.get(), format.id());
      for (String service : routes.services()) {
        String as = format + " " + service + " for " + headers;
        MeshRoute route = mesh.route(service, request).orElseThrow(() -> new AssertionError("no route: " + as));
        Hit hit = mesh.table().rulesFor(service).hit(request).orElseThrow();
        assertThat(mesh.table().versions(service, hit.rule(), options)).as(as)
            .containsExactly(MeshArbitraries.expectedVersion(routes, service, context));
        Mirror mirror = MeshArbitraries.expectedMirror(routes, service, context);
        if (mirror == null) {
          assertThat(route.mirrors()).as(as).isEmpty();
        } else {
          assertThat(route.mirrors()).as(as).singleElement().satisfies(m -> {
            assertThat(mesh.table().versionOf(service, m, options)).isEqualTo(mirror.version());
            assertThat(m.percent()).isEqualTo(mirror.percent());
          });
        }
      }
    }
  }

  @Property(tries = 100)
  void generatedRulesHaveNoDrift(@ForAll("routes") FlagRoutes routes, @ForAll("codecs") HeaderCodec codec) {
    MeshGenerator generator = MeshGenerator.of(routes, codec, MeshOptions.defaults());
    MeshDriftCheck check = MeshDriftCheck.of(routes, codec, MeshOptions.defaults());
    for (MeshFormat format : MeshFormat.all()) {
      Optional<String> yaml = MeshArbitraries.generate(generator, format, routes, MeshOptions.defaults());
      if (yaml.isPresent()) {
        assertThat(check.check(MeshYaml.read(yaml.get(), format.id()))).as(yaml.get()).isEmpty();
        assertThat(generator.yaml(format)).as("deterministic").isEqualTo(yaml.get());
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
