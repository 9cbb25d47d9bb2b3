package dev.flagroute.mesh;

import dev.flagroute.mesh.crd.CrdSchemaValidator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Every document flagroute generates validates strictly against the real CRD schemas (Istio 1.30
 * VirtualService and DestinationRule, Gateway API v1.6.1 HTTPRoute and GRPCRoute, consul-k8s 2.0.3
 * ServiceDefaults, ServiceResolver and ServiceRouter, SMI v1alpha4 TrafficSplit and
 * HTTPRouteGroup): unknown fields, wrong types and violated patterns or limits are errors. Gateway
 * API documents also validate against v1.1.1 (Linkerd's) when the target is 1.1, and when it is
 * 1.6 unless a mirror below 100% needs v1.6's {@code percent}; Linkerd's also against v1.2.1, the
 * newest release Linkerd documents. Istio ambient's waypoint Gateway validates against v1.6.1's
 * gateways CRD. Every document is also checked against its CRD's CEL rules ({@code x-kubernetes-validations}).
 * Core {@code v1} Services have no CRD and are the only documents not validated. Runs in the {@code crd-schemas}
 * profile.
 */
@Tag("crd-schemas")
class GeneratedMeshSchemaTest {
  private static final CrdSchemaValidator LATEST = CrdSchemaValidator.shared();
  private static final CrdSchemaValidator GATEWAY_API_V1_1 = CrdSchemaValidator.gatewayApiV1_1();
  private static final CrdSchemaValidator GATEWAY_API_V1_2 = CrdSchemaValidator.gatewayApiV1_2();

  @Property(tries = 150)
  void generatedDocumentsValidateAgainstTheCrds(@ForAll("routes") FlagRoutes routes,
      @ForAll("codecs") HeaderCodec codec, @ForAll @IntRange(min = 0, max = 2) int optionSet, @ForAll boolean grpc) {
    MeshOptions.Builder builder = options(optionSet);
    if (grpc) {
      builder.grpc(routes.services().iterator().next());
    }
    MeshOptions options = builder.build();
    MeshGenerator generator = MeshGenerator.of(routes, codec, options);
    boolean needsPercent = routes.asList().stream()
        .anyMatch(f -> f.mirrors().values().stream().anyMatch(m -> m.percent() < 100));
    for (MeshFormat format : List.of(MeshFormat.ISTIO, MeshFormat.ISTIO_AMBIENT, MeshFormat.GATEWAY_API,
        MeshFormat.LINKERD, MeshFormat.gatewayApi(GatewayApiVersion.V1_1), MeshFormat.CONSUL, MeshFormat.SMI)) {
      Optional<String> yaml = MeshArbitraries.generate(generator, format, routes, options);
      for (Map<String, Object> document : yaml.map(y -> MeshYaml.read(y, format.id())).orElse(List.of())) {
        if ("v1".equals(document.get("apiVersion"))) {
          assertThat(document.get("kind")).isEqualTo("Service");
          continue;
        }
        assertThat(LATEST.validate(document)).as("%s", document).isEmpty();
        if (format.readsAs() == MeshFormat.GATEWAY_API
            && (format != MeshFormat.GATEWAY_API || !needsPercent && !needsLongRules(document))) {
          assertThat(GATEWAY_API_V1_1.validate(document)).as("v1.1.1: %s", document).isEmpty();
        }
        if (format == MeshFormat.LINKERD) {
          assertThat(GATEWAY_API_V1_2.validate(document)).as("v1.2.1: %s", document).isEmpty();
        }
      }
    }
  }

  @AfterContainer
  static void celRulesWereEvaluated() {
    var statistics = CrdSchemaValidator.celStatistics();
    System.out.println("CEL rules: " + statistics);
    assertThat(statistics.evaluations()).as("CEL rule evaluations").isPositive();
  }

  /**
   * Whether a route has a rule of more than 8 matches (v1.1's limit), and rightly so: split into
   * rules of 8, it would exceed 16 rules.
   */
  private static boolean needsLongRules(Map<String, Object> document) {
    if (!(document.get("spec") instanceof Map<?, ?> spec && spec.get("rules") instanceof List<?> rules)) {
      return false;
    }
    int portableRules = 0;
    boolean longRule = false;
    for (Object rule : rules) {
      int matches = ((Map<?, ?>) rule).get("matches") instanceof List<?> list ? list.size() : 0;
      longRule |= matches > 8;
      portableRules += Math.max(1, (matches + 7) / 8);
    }
    assertThat(!longRule || portableRules > 16).as("rules of more than 8 matches only when needed: %s", document)
        .isTrue();
    return longRule;
  }

  @Provide
  Arbitrary<FlagRoutes> routes() {
    return MeshArbitraries.routes();
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return MeshArbitraries.codecs();
  }

  /** 0: the defaults; 1: every option set (Consul refuses a name prefix and a label key with a '/'); 2: options Consul takes. */
  private static MeshOptions.Builder options(int set) {
    return switch (set) {
      case 0 -> MeshOptions.builder();
      case 1 -> MeshOptions.builder().namespace("shop").port(9080).namePrefix("flags-").label("team", "checkout")
          .versionLabel("example.com/version");
      default -> MeshOptions.builder().namespace("shop").port("reviews", 8080).label("team", "checkout")
          .versionLabel("track").appLabel("service");
    };
  }
}
