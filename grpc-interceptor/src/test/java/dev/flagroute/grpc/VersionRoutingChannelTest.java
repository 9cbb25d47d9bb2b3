package dev.flagroute.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.direct.VersionAddresses;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Versions {@code v1} and {@code v2} of {@code ratings} are Netty servers on loopback ports,
 * pinned; {@code v3} is named into the reserved {@code .invalid} domain (real DNS finds nothing)
 * and {@code v4} is pinned to a closed port (connection refused).
 */
class VersionRoutingChannelTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("model").service("ratings")
      .variant("off", "v1").variant("on", "v2").variant("gone", "v3").variant("down", "v4").defaultVariant("off")
      .build());

  private final GrpcTestKit kit = new GrpcTestKit();
  private VersionRouting routing;
  private VersionRoutingChannel ratings;
  private Channel stamped;

  @BeforeEach
  void start() throws Exception {
    FlagServerInterceptor relay = FlagServerInterceptor.builder(TestFlags.relay(HeaderCodec.perFlag(),
        new RoutingCounters())).build();
    ExecutorService threads = kit.executor("ratings", 4);
    Server v1 = kit.server(Transport.NETTY, threads, GrpcTestKit.unaryService(request -> "v1 " + request), relay);
    Server v2 = kit.server(Transport.NETTY, threads, GrpcTestKit.unaryService(request -> "v2 " + request), relay);
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    routing = VersionRouting.of(ROUTES, VersionAddresses.naming("{service}-{version}.invalid")
        .pin("ratings", "v1", "127.0.0.1:" + v1.getPort())
        .pin("ratings", "v2", "127.0.0.1:" + v2.getPort())
        .pin("ratings", "v4", "127.0.0.1:" + closed));
    ratings = VersionRoutingChannel.of("ratings", 9090, routing,
        address -> NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext().build());
    stamped = ClientInterceptors.intercept(ratings, FlagClientInterceptor.create(HeaderCodec.perFlag()));
  }

  @AfterEach
  void stop() throws InterruptedException {
    ratings.close();
    kit.close();
  }

  @Test
  void callsGoToTheVersionTheFlagsRouteTo() throws Exception {
    assertThat(call("on")).isEqualTo("v2 hello");
    assertThat(call("off")).isEqualTo("v1 hello");
    assertThat(GrpcTestKit.unary(stamped, new Metadata(), "hello")).isEqualTo("v1 hello");
    assertThat(routing.fallbacks()).isZero();
  }

  @Test
  void aVersionWithoutInstanceFallsBackToStableCounted() throws Exception {
    assertThat(call("gone")).isEqualTo("v1 hello");
    assertThat(call("down")).isEqualTo("v1 hello");
    try (FlagScope scope = context("down").makeCurrent()) {
      GrpcTestKit.Result streamed = GrpcTestKit.call(stamped, GrpcTestKit.method(MethodType.UNARY), new Metadata(),
          List.of("again"));
      assertThat(streamed.replies()).containsExactly("v1 again");
    }
    assertThat(routing.fallbacks()).isEqualTo(3);
  }

  @Test
  void manyThreadsEachReachTheirOwnCohortsVersion() throws Exception {
    String[] variants = {"off", "on", "gone", "down"};
    String[] expected = {"v1", "v2", "v1", "v1"};
    ExecutorService pool = Executors.newFixedThreadPool(16);
    AtomicInteger wrong = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int cohort = i % variants.length;
      done.add(pool.submit(() -> {
        if (!call(variants[cohort]).equals(expected[cohort] + " hello")) {
          wrong.incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> each : done) {
      each.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(wrong).hasValue(0);
    assertThat(routing.fallbacks()).isEqualTo(200);
  }

  private String call(String variant) throws Exception {
    try (FlagScope scope = context(variant).makeCurrent()) {
      return GrpcTestKit.unary(stamped, new Metadata(), "hello");
    }
  }

  private static FlagContext context(String variant) {
    return FlagContext.builder(ROUTES).relayed("model", variant).build();
  }
}
