package dev.flagroute.example.modulepath;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.grpc.FlagClientInterceptor;
import dev.flagroute.jdkhttp.FlagHttpRequests;
import dev.flagroute.mesh.MeshFormat;
import dev.flagroute.mesh.MeshGenerator;
import dev.flagroute.mesh.MeshOptions;
import dev.flagroute.mesh.MeshRequest;
import dev.flagroute.mesh.MeshRouteEvaluator;
import dev.flagroute.micrometer.MicrometerRoutingListener;
import dev.flagroute.okhttp.FlagStampingInterceptor;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.servlet.FlagRoutingFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Uses each flagroute module through its exported API only: routes from YAML, a relay decision,
 * outbound stamping (java.net.http and OkHttp), Micrometer metrics, mesh rules generated and
 * evaluated, a servlet filter and a gRPC interceptor.
 */
public final class ModulePathApp {
  private static final String ROUTES = """
      routes:
        - flag: checkout
          service: reviews
          default: v1
          variants: {v1: v1, v2: v2}
      """;

  private ModulePathApp() {}

  /**
   * What one run saw: the relayed variant, the stamped headers, the flag header a
   * {@code java.net.http} request got, the decisions Micrometer counted and the subset the mesh
   * picks.
   */
  public record Run(String variant, Map<String, String> stamped, String httpRequestFlag, double countedDecisions,
      String meshSubset) {}

  /** Relays {@code x-flag-checkout: v2} and follows it through stamping and the mesh rules. */
  public static Run run() {
    FlagRoutes routes = FlagRoutesFile.parse(ROUTES, "routes.yaml");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.RELAY)
        .listener(new MicrometerRoutingListener(registry)).build();
    FlagContext flags = router.route(Map.of("x-flag-checkout", "v2"), HeaderGetter.forMap());
    Map<String, String> stamped = new HashMap<>();
    router.codec().inject(flags, stamped, HeaderSetter.forMap());
    String httpRequestFlag;
    try (FlagScope ignored = flags.makeCurrent()) {
      httpRequestFlag = FlagHttpRequests.stamp(HttpRequest.newBuilder(URI.create("http://reviews/")).build(),
          router.codec()).headers().firstValue("x-flag-checkout").orElse(null);
    }
    double counted = registry.get(MicrometerRoutingListener.DECISIONS).counter().count();
    String yaml = MeshGenerator.of(routes, router.codec(), MeshOptions.defaults()).yaml(MeshFormat.ISTIO);
    String subset = MeshRouteEvaluator.parse(yaml, "istio").route("reviews", MeshRequest.of(stamped))
        .orElseThrow().primary().subset();
    FlagRoutingFilter.builder(router).build();
    FlagClientInterceptor.create(router.codec());
    new FlagStampingInterceptor(router.codec());
    return new Run(flags.variant("checkout"), stamped, httpRequestFlag, counted, subset);
  }

  /** Prints one run. */
  public static void main(String[] args) {
    System.out.println(run());
  }
}
