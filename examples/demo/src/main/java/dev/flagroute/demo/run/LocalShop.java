package dev.flagroute.demo.run;

import dev.flagroute.demo.app.Frontend;
import dev.flagroute.demo.app.HttpService;
import dev.flagroute.demo.app.RatingsApi;
import dev.flagroute.demo.app.Reviews;
import dev.flagroute.demo.app.Shop;
import dev.flagroute.demo.app.Writes;
import dev.flagroute.demo.mesh.LocalMesh;
import dev.flagroute.demo.mesh.MeshChannel;
import dev.flagroute.demo.mesh.MeshProxy;
import dev.flagroute.demo.mesh.Workload;
import dev.flagroute.direct.VersionAddresses;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.grpc.FlagServerInterceptor;
import dev.flagroute.grpc.VersionRoutingChannel;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.okhttp.VersionRoutingInterceptor;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.servlet.FlagRoutingFilter;
import dev.flagroute.servlet.TargetingKeySource;
import dev.flagroute.verdict.VerdictPolicy;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The whole shop on 127.0.0.1 in this JVM: frontend (edge), reviews and ratings in every version
 * (relay), a {@link MeshProxy} in front of reviews and a {@link MeshChannel} in front of ratings,
 * both routing by the same mesh YAML; or, without a mesh, clients that call the flags' version
 * directly ({@link VersionRoutingInterceptor}, {@link VersionRoutingChannel}). Closing it stops everything it started.
 */
public final class LocalShop implements AutoCloseable {
  /** Every server and channel listens on or dials this address only. */
  public static final String HOST = "127.0.0.1";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final List<String[]> layout = new ArrayList<>();
  private final Map<String, AtomicBoolean> reviewsFailing = new ConcurrentHashMap<>();
  private final Map<String, Writes> reviewsWrites = new LinkedHashMap<>();
  private MeshProxy reviewsMesh;
  private Function<FlagRouter, Frontend> frontends;
  private URI frontend;
  private FlagRouter edge;

  private LocalShop() {}

  /**
   * Starts the shop. The frontend decides with {@code openFeature}'s default client, accepts
   * override tokens signed for {@code overrides}, guards the flags steering reviews with
   * {@link Shop#guardPolicy()} and reports to {@code edgeListener}; reviews and
   * ratings report to {@code serviceListener}, misroutes included; the mesh routes by {@code mesh}, or,
   * when it is empty, the clients pick the version themselves.
   */
  public static LocalShop start(FlagRoutes routes, Optional<LocalMesh> mesh, OpenFeatureAPI openFeature,
      OverrideTokens overrides, RoutingListener edgeListener, RoutingListener serviceListener) throws Exception {
    LocalShop shop = new LocalShop();
    try {
      shop.startAll(routes, mesh, openFeature, overrides, edgeListener, serviceListener);
      return shop;
    } catch (Exception | Error e) {
      shop.close();
      throw e;
    }
  }

  private void startAll(FlagRoutes routes, Optional<LocalMesh> mesh, OpenFeatureAPI openFeature,
      OverrideTokens overrides, RoutingListener edgeListener, RoutingListener serviceListener) throws Exception {
    // without a mesh: the naming rule's hosts (reviews-v2, ratings-v1, ...), pinned to their loopback ports here
    VersionAddresses addresses = VersionAddresses.defaults();
    Map<Workload, ManagedChannel> ratings = new LinkedHashMap<>();
    for (String version : Shop.versions(routes, Shop.RATINGS)) {
      Server server = NettyServerBuilder.forAddress(new InetSocketAddress(HOST, 0))
          .addService(RatingsApi.service(version))
          .intercept(FlagServerInterceptor.builder(relay(routes, Shop.RATINGS, version, serviceListener)).build())
          .build()
          .start();
      started.push(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
      Workload workload = Workload.of(Shop.RATINGS, version, HOST, server.getPort());
      addresses = addresses.pin(Shop.RATINGS, version, HOST + ":" + server.getPort());
      if (mesh.isPresent()) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(HOST, server.getPort()).usePlaintext().build();
        started.push(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        ratings.put(workload, channel);
      }
      layout.add(new String[] {workload.name(), workload.host() + ":" + workload.port(), "gRPC server, relay"});
    }
    Channel ratingsChannel;
    if (mesh.isPresent()) {
      ratingsChannel = new MeshChannel(Shop.RATINGS, mesh.get(), ratings);
    } else {
      VersionRoutingChannel direct = VersionRoutingChannel.of(Shop.RATINGS, 9090,
          VersionRouting.of(routes, addresses, serviceListener),
          address -> NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext().build());
      started.push(direct);
      ratingsChannel = direct;
    }

    List<Workload> reviews = new ArrayList<>();
    for (String version : Shop.versions(routes, Shop.REVIEWS)) {
      FlagRouter router = relay(routes, Shop.REVIEWS, version, serviceListener);
      AtomicBoolean failing = reviewsFailing.computeIfAbsent(version, v -> new AtomicBoolean());
      Writes writes = new Writes();
      reviewsWrites.put(version, writes);
      HttpService service = HttpService.start(HOST, 0, "/reviews",
          new Reviews(version, router, ratingsChannel, failing::get, writes), FlagRoutingFilter.builder(router).build());
      started.push(service);
      Workload workload = Workload.of(Shop.REVIEWS, version, HOST, service.uri().getPort());
      addresses = addresses.pin(Shop.REVIEWS, version, HOST + ":" + service.uri().getPort());
      reviews.add(workload);
      layout.add(new String[] {workload.name(), service.uri().toString(), "HTTP server, relay"});
    }

    FlagRouter.Builder edgeBuilder = FlagRouter.builder(routes)
        .mode(RoutingMode.EDGE)
        .client(openFeature.getClient())
        .overrides(overrides)
        .listener(edgeListener)
        .reportForeignHeaders(true); // scenario 2 counts the spoofed headers it sends
    routes.service(Shop.REVIEWS).flags().forEach(route -> edgeBuilder.guard(route.key(), Shop.guardPolicy()));
    edge = edgeBuilder.build();
    FlagRoutingFilter filter = FlagRoutingFilter.builder(edge)
        .targetingKey(TargetingKeySource.header(Frontend.USER_HEADER))
        .openFeature(openFeature)
        .build();
    String[] routing;
    if (mesh.isPresent()) {
      reviewsMesh = MeshProxy.start(Shop.REVIEWS, mesh.get(), reviews, HOST);
      started.push(reviewsMesh);
      URI proxy = reviewsMesh.uri();
      frontends = router -> new Frontend(router, proxy);
      routing = new String[] {"mesh", proxy.toString(),
          "reviews: reverse proxy (Jetty); ratings: gRPC client-side routing; " + mesh.get().format() + " rules"};
    } else {
      VersionRouting direct = VersionRouting.of(routes, addresses, edgeListener);
      frontends = router -> new Frontend(router, URI.create("http://" + Shop.REVIEWS + ":9080"),
          new VersionRoutingInterceptor(direct));
      routing = new String[] {"no mesh", addresses.naming(),
          "clients call the flags' version by the naming rule (hosts pinned to the ports above)"};
    }
    Frontend front = frontends.apply(edge);
    HttpService frontendService = HttpService.start(HOST, 0, "/product", front, filter);
    started.push(frontendService);
    frontend = frontendService.uri();
    layout.add(0, new String[] {"frontend", frontend.toString(), "HTTP server, edge: decides the flags with OpenFeature"});
    layout.add(1, routing);
  }

  /** The router of one instance: keeps the edge's variants and reports requests the mesh sent to the wrong version. */
  private static FlagRouter relay(FlagRoutes routes, String service, String version, RoutingListener listener) {
    return FlagRouter.builder(routes).mode(RoutingMode.RELAY).service(service, version).listener(listener).build();
  }

  /**
   * Starts another frontend beside the first, deciding with {@code routes} (which may declare
   * ramps) and judging {@code flag}'s variants by {@code policy}; it calls reviews as the first does
   * (through the same mesh, or directly) and stops with the shop.
   */
  public Edge startFrontend(FlagRoutes routes, OpenFeatureAPI openFeature, String flag, VerdictPolicy policy,
      RoutingListener listener) throws Exception {
    FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.EDGE).client(openFeature.getClient())
        .verdicts(flag, policy).listener(listener).build();
    FlagRoutingFilter filter = FlagRoutingFilter.builder(router)
        .targetingKey(TargetingKeySource.header(Frontend.USER_HEADER))
        .openFeature(openFeature)
        .build();
    HttpService service = HttpService.start(HOST, 0, "/product", frontends.apply(router), filter);
    started.push(service);
    return new Edge(service.uri(), router);
  }

  /** A frontend's address and its router. */
  public record Edge(URI uri, FlagRouter router) {}

  /** Makes reviews {@code version} answer every request with 503 ({@code true}), or serve again. */
  public void failReviews(String version, boolean failing) {
    AtomicBoolean state = reviewsFailing.get(version);
    if (state == null) {
      throw new IllegalArgumentException("no reviews " + version + " runs; versions: " + reviewsFailing.keySet());
    }
    state.set(failing);
  }

  /** The views each reviews version recorded and skipped (for mirrored copies), by version, stable first. */
  public Map<String, Writes> reviewsWrites() {
    return Collections.unmodifiableMap(reviewsWrites);
  }

  /** The mesh's proxy in front of reviews, which copies requests where the rules mirror them. */
  public MeshProxy reviewsMesh() {
    if (reviewsMesh == null) {
      throw new IllegalStateException("the shop runs without a mesh");
    }
    return reviewsMesh;
  }

  /** The state of the frontend's rollout guard, per guarded variant. */
  public List<GuardStatus> guardStatus() {
    return edge.guardStatus();
  }

  /** The frontend's address. */
  public URI frontend() {
    return frontend;
  }

  /** One row per running piece: name, address, role. */
  public List<String[]> layout() {
    return layout.stream().map(String[]::clone).toList();
  }

  @Override
  public void close() throws Exception {
    Exception failure = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
