package dev.flagroute.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.mesh.internal.rules.Hit;
import dev.flagroute.mesh.internal.rules.Resource;
import dev.flagroute.mesh.internal.rules.RuleFormat;
import dev.flagroute.mesh.internal.rules.RuleTable;
import dev.flagroute.mesh.internal.rules.ServicePlan;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
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
 * Every registered format round-trips through its plug-in alone: the documents it generates for
 * the plans are of the routing kinds it reads as and no other format's, read back without
 * problems or drift, and route each stamped request to the version the precedence rule names.
 */
class FormatPluginRoundTripTest {

  @Property(tries = 100)
  void generateReadEvaluate(@ForAll("routes") FlagRoutes routes, @ForAll("codecs") HeaderCodec codec,
      @ForAll @Size(9) List<@IntRange(min = -1, max = 7) Integer> choices) {
    FlagContext context = MeshArbitraries.context(routes, choices);
    Map<String, String> headers = new HashMap<>();
    codec.inject(context, headers, HeaderSetter.forMap());
    MeshRequest request = MeshRequest.of(headers);
    List<ServicePlan> plans = ServicePlan.of(routes, codec);
    for (MeshFormat format : MeshFormat.all()) {
      RuleFormat plugin = format.rules();
      List<Map<String, Object>> documents;
      try {
        documents = plugin.generate(plans, MeshOptions.defaults());
      } catch (IllegalArgumentException e) {
        if (MeshArbitraries.refusals(format, routes, MeshOptions.defaults()).isEmpty()) {
          assertThat(e.getMessage()).contains("Gateway API allows at most");
        }
        continue;
      }
      List<String> problems = new ArrayList<>();
      List<Resource> resources = Resource.all(documents, problems);
      assertThat(MeshFormat.in(resources)).containsExactly(format.readsAs());
      RuleTable table = plugin.read(resources);
      assertThat(problems).as(format.id()).isEmpty();
      assertThat(table.drift()).as(format.id()).isEmpty();
      for (ServicePlan plan : plans) {
        assertThat(table.routes(plan.service())).isTrue();
        Hit hit = table.rulesFor(plan.service()).hit(request).orElseThrow();
        assertThat(table.versions(plan.service(), hit.rule(), MeshOptions.defaults())).as("%s %s", format, headers)
            .containsExactly(MeshArbitraries.expectedVersion(routes, plan.service(), context));
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
