package dev.flagroute.benchmarks;

import dev.flagroute.benchmarks.load.LoadMethod;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.context.Source;
import dev.flagroute.grpc.FlagClientInterceptor;
import dev.flagroute.grpc.FlagServerInterceptor;
import dev.flagroute.grpc.GrpcFlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole unary gRPC call, client and server in one thread over grpc-java's in-process transport:
 * through flagroute's interceptor pair (the client stamps ten flags, a relay's server interceptor
 * reads them and shows the application its view) against the same call without them, sending the
 * same metadata entries (five ordinary ones and the ten flag entries, attached by hand). The ratio
 * is flagroute's own work per call, without the network and the load test's noise; the load test
 * ({@code run-load.sh grpc}) measures the same pair over HTTP/2.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GrpcCallBenchmark {
  private static final byte[] REQUEST = {'p', 'i', 'n', 'g'};
  private static final byte[] RESPONSE = {'o', 'k'};
  private static final MethodDescriptor<byte[], byte[]> PLAIN = LoadMethod.of("bench.Plain");
  private static final MethodDescriptor<byte[], byte[]> FLAGGED = LoadMethod.of("bench.Flagged");

  private Server server;
  private ManagedChannel channel;
  private Channel plain;
  private Channel flagged;
  private FlagContext flags;

  /** One server with both services, one channel, the flags a caller carries. */
  @Setup(Level.Trial)
  public void start() throws IOException {
    String name = "grpc-call-benchmark";
    FlagRouter relay = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY).build();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(service(PLAIN))
        .addService(ServerInterceptors.intercept(service(FLAGGED), FlagServerInterceptor.builder(relay).build()))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    Channel ordinary = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(LoadMethod.ordinaryMetadata()));
    plain = ClientInterceptors.intercept(ordinary, MetadataUtils.newAttachHeadersInterceptor(flagEntries()));
    flagged = ClientInterceptors.intercept(ordinary, FlagClientInterceptor.create(HeaderCodec.perFlag()));
    FlagContext.Builder builder = FlagContext.builder(Fixtures.ROUTES);
    for (int i = 0; i < Fixtures.KEYS.length; i++) {
      builder.relayed(Fixtures.KEYS[i], Fixtures.stampedVariant(i));
    }
    flags = builder.build();
    try (FlagScope ignored = flags.makeCurrent()) {
      if (ClientCalls.blockingUnaryCall(flagged, FLAGGED, CallOptions.DEFAULT, REQUEST).length != 1) {
        throw new IllegalStateException("the flagged service did not relay the ten flags");
      }
    }
    if (ClientCalls.blockingUnaryCall(plain, PLAIN, CallOptions.DEFAULT, REQUEST).length != RESPONSE.length) {
      throw new IllegalStateException("the plain service saw flags");
    }
  }

  /** Closes the channel and the server. */
  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(1, TimeUnit.MINUTES);
    server.shutdownNow().awaitTermination(1, TimeUnit.MINUTES);
  }

  /** The baseline: the call without flagroute, with the same metadata entries attached by hand. */
  @Benchmark
  public byte[] plainCall() {
    return ClientCalls.blockingUnaryCall(plain, PLAIN, CallOptions.DEFAULT, REQUEST);
  }

  /** The call in a context of ten flags, through the client and the relay's server interceptor. */
  @Benchmark
  @SuppressWarnings("try")
  public byte[] flaggedCall() {
    try (FlagScope ignored = flags.makeCurrent()) {
      return ClientCalls.blockingUnaryCall(flagged, FLAGGED, CallOptions.DEFAULT, REQUEST);
    }
  }

  /** Answers {@code ok}, or one byte when the call's context relayed all ten flags (the check). */
  private static ServerServiceDefinition service(MethodDescriptor<byte[], byte[]> method) {
    return ServerServiceDefinition.builder(method.getServiceName())
        .addMethod(method, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(relayed(GrpcFlagContext.current()) == Fixtures.KEYS.length ? new byte[] {1} : RESPONSE);
          response.onCompleted();
        }))
        .build();
  }

  private static int relayed(FlagContext context) {
    int[] relayed = {0};
    context.forEach((route, decision) -> relayed[0] += decision.source() == Source.RELAYED ? 1 : 0);
    return relayed[0];
  }



  private static Metadata flagEntries() {
    Metadata metadata = new Metadata();
    for (int i = 0; i < Fixtures.KEYS.length; i++) {
      LoadMethod.put(metadata, Fixtures.flagHeader(i), Fixtures.stampedVariant(i));
    }
    return metadata;
  }

}
