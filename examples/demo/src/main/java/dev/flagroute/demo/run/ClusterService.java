package dev.flagroute.demo.run;

import dev.flagroute.demo.app.Frontend;
import dev.flagroute.demo.app.HttpService;
import dev.flagroute.demo.app.RatingsApi;
import dev.flagroute.demo.app.Reviews;
import dev.flagroute.demo.app.Writes;
import dev.flagroute.demo.app.Shop;
import dev.flagroute.grpc.FlagServerInterceptor;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.servlet.FlagRoutingFilter;
import dev.flagroute.servlet.TargetingKeySource;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * One service of the shop as a Kubernetes Deployment runs it ({@code Demo serve ...}): listening on
 * all interfaces, calling the next service by its cluster name and leaving routing to the mesh.
 * Runs until the process is stopped.
 */
public final class ClusterService {
  private static final String ALL_INTERFACES = "0.0.0.0";
  /** How often the frontend looks for changes to the flags file (a ConfigMap volume updates in place). */
  private static final int FLAGS_POLL_MILLIS = 5000;
  /** The environment variable holding the override secret; testers' tokens are accepted only when it is set. */
  public static final String OVERRIDE_SECRET_ENV = "FLAGROUTE_OVERRIDE_SECRET";

  private ClusterService() {}

  /**
   * Serves {@code service} ({@code frontend}, {@code reviews} or {@code ratings}) with
   * {@code options}: {@code port} (default {@value Shop#PORT}), {@code version} (reviews, ratings),
   * {@code flags} (frontend: the flagd file), {@code reviews} (frontend: the reviews URL) and
   * {@code ratings} (reviews: the ratings host:port). The frontend accepts override tokens when
   * {@value #OVERRIDE_SECRET_ENV} is set.
   */
  public static void serve(String service, Map<String, String> options) throws Exception {
    FlagRoutes routes = routes();
    int port = Integer.parseInt(options.getOrDefault("port", String.valueOf(Shop.PORT)));
    switch (service) {
      case Shop.FRONTEND -> frontend(routes, port, options);
      case Shop.REVIEWS -> reviews(routes, port, required(options, "version"), options);
      case Shop.RATINGS -> ratings(routes, port, required(options, "version"));
      default -> throw new IllegalArgumentException("unknown service '" + service + "'; expected "
          + Shop.FRONTEND + ", " + Shop.REVIEWS + " or " + Shop.RATINGS);
    }
  }

  private static void frontend(FlagRoutes routes, int port, Map<String, String> options) throws Exception {
    OpenFeatureAPI openFeature = OpenFeatureAPI.getInstance();
    openFeature.setProviderAndWait(FlagsFile.flagd(Path.of(required(options, "flags")), FLAGS_POLL_MILLIS));
    FlagRouter.Builder router = FlagRouter.builder(routes).mode(RoutingMode.EDGE).client(openFeature.getClient());
    String secret = System.getenv(OVERRIDE_SECRET_ENV);
    if (secret != null && !secret.isBlank()) {
      router.overrides(OverrideTokens.builder(secret).build());
    }
    FlagRouter edge = router.build();
    URI reviews = URI.create(options.getOrDefault("reviews", "http://" + Shop.REVIEWS + ":" + Shop.PORT));
    HttpService.start(ALL_INTERFACES, port, "/product", new Frontend(edge, reviews),
        FlagRoutingFilter.builder(edge).targetingKey(TargetingKeySource.header(Frontend.USER_HEADER)).build()).join();
  }

  private static void reviews(FlagRoutes routes, int port, String version, Map<String, String> options)
      throws Exception {
    FlagRouter relay = relay(routes, Shop.REVIEWS, version);
    ManagedChannel ratings = NettyChannelBuilder
        .forTarget(options.getOrDefault("ratings", Shop.RATINGS + ":" + Shop.PORT))
        .usePlaintext()
        .build();
    HttpService.start(ALL_INTERFACES, port, "/reviews", new Reviews(version, relay, ratings, () -> false, new Writes()),
        FlagRoutingFilter.builder(relay).build()).join();
  }

  private static void ratings(FlagRoutes routes, int port, String version) throws Exception {
    FlagRouter relay = relay(routes, Shop.RATINGS, version);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(ALL_INTERFACES, port))
        .addService(RatingsApi.service(version))
        .intercept(FlagServerInterceptor.builder(relay).build())
        .build()
        .start();
    server.awaitTermination();
  }

  /** A relay that knows which instance it is, so that requests the mesh misroutes are detected. */
  private static FlagRouter relay(FlagRoutes routes, String service, String version) {
    return FlagRouter.builder(routes).mode(RoutingMode.RELAY).service(service, version).build();
  }

  /** The routes file packaged with the demo, the same one the manifests were generated from. */
  private static FlagRoutes routes() {
    try (InputStream in = ClusterService.class.getResourceAsStream("/routes.yaml")) {
      if (in == null) {
        throw new IllegalStateException("routes.yaml is missing from the class path");
      }
      return FlagRoutesFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:routes.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }
}
