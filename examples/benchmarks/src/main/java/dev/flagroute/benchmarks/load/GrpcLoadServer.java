package dev.flagroute.benchmarks.load;

import dev.flagroute.benchmarks.LoadFlags;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.Source;
import dev.flagroute.grpc.FlagServerInterceptor;
import dev.flagroute.grpc.GrpcFlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The server that {@code run-load.sh grpc} loads: grpc-java on Netty, on loopback, serving the
 * same unary method as {@code load.Plain/Call} and, behind {@link FlagServerInterceptor}, as
 * {@code load.Flagged/Call}. The flagged service is an interior hop (RELAY, ten flags, no listener):
 * the load client stamps the flags with flagroute's client interceptor, so the pair is measured, and
 * sends the plain service the same ten flag entries by hand, which no interceptor reads there. The
 * method answers {@code flags=<n>}: how many flags the call carried from its caller (10 flagged, 0
 * plain; a relay gives flags that arrive without a stamp their default, so they are not counted).
 * Both services share one server, one JVM and gRPC's default executor.
 *
 * <p>Argument: the most seconds to run before stopping by itself (see {@link LoadServer}).
 */
public final class GrpcLoadServer {
  private GrpcLoadServer() {}

  /** Starts the server on a free port, announces its two services, stops after the time limit. */
  public static void main(String[] args) throws Exception {
    LoadServer.stopLater(args);
    FlagRouter router = FlagRouter.builder(LoadFlags.routes()).mode(RoutingMode.RELAY).build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(service(LoadMethod.PLAIN_SERVICE))
        .addService(ServerInterceptors.intercept(service(LoadMethod.FLAGGED_SERVICE),
            FlagServerInterceptor.builder(router).build()))
        .build()
        .start();
    LoadServer.announce(LoadServer.PLAIN, LoadMethod.target(server.getPort(), LoadMethod.PLAIN_SERVICE));
    LoadServer.announce(LoadServer.FLAGGED, LoadMethod.target(server.getPort(), LoadMethod.FLAGGED_SERVICE));
    server.awaitTermination();
  }

  private static ServerServiceDefinition service(String name) {
    return ServerServiceDefinition.builder(name)
        .addMethod(LoadMethod.of(name), ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(("flags=" + relayed(GrpcFlagContext.current())).getBytes(StandardCharsets.US_ASCII));
          response.onCompleted();
        }))
        .build();
  }

  private static int relayed(FlagContext flags) {
    int[] relayed = {0};
    flags.forEach((route, decision) -> relayed[0] += decision.source() == Source.RELAYED ? 1 : 0);
    return relayed[0];
  }
}
