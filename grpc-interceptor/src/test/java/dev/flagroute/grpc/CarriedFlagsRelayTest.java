package dev.flagroute.grpc;

import static dev.flagroute.grpc.GrpcTestKit.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.codec.MeshHosts;
import dev.flagroute.context.FlagContext;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A gRPC relay whose routes define none of the flags it receives (a team that adopted flagroute to
 * pass flags on before routing any of its own) forwards them all, unchanged, on its outbound calls.
 */
class CarriedFlagsRelayTest {
  private static final Map<String, String> UPSTREAM = new LinkedHashMap<>(Map.of("payment", "v2"));

  static {
    UPSTREAM.put("ratings-model", "neural");
  }

  private final GrpcTestKit kit = new GrpcTestKit();
  private final AtomicReference<Metadata> received = new AtomicReference<>();

  @AfterEach
  void shutDown() throws InterruptedException {
    kit.close();
  }

  static Stream<HeaderCodec> codecs() {
    return Stream.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void aRelayWithoutRoutesForwardsWhatItCarries(HeaderCodec wire) throws Exception {
    FlagRouter relay = relay(wire, new RoutingCounters());

    call(relay, wire, "reviews.shop.svc:8443");

    assertThat(relay.route(received.get(), MetadataHeaders.GETTER).carried()).isEqualTo(UPSTREAM);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void anAuthorityOutsideTheMeshGetsNoCarriedFlags(HeaderCodec wire) throws Exception {
    RoutingCounters counters = new RoutingCounters();
    FlagRouter relay = relay(wire, counters);

    call(relay, wire, "api.partner.example:443");

    assertThat(relay.route(received.get(), MetadataHeaders.GETTER).carried()).isEmpty();
    assertThat(counters.egressBlocked()).isEqualTo(1);
  }

  /**
   * Calls, with the upstream hop's flags attached, a relay server that calls a capturing server
   * at {@code authority} from its handler.
   */
  private void call(FlagRouter relay, HeaderCodec wire, String authority) throws Exception {
    Server downstream = kit.server(Transport.IN_PROCESS, kit.executor("downstream", 1),
        GrpcTestKit.unaryService(request -> request), GrpcTestKit.capturing(received));
    ManagedChannel toDownstream = kit.channel(Transport.IN_PROCESS, downstream,
        FlagClientInterceptor.create(relay.codec()), authority(authority));
    ServerServiceDefinition forwarding = ServerServiceDefinition.builder(GrpcTestKit.SERVICE)
        .addMethod(method(MethodType.UNARY), ServerCalls.asyncUnaryCall((String request, StreamObserver<String> reply) -> {
          try {
            reply.onNext(GrpcTestKit.unary(toDownstream, new Metadata(), request));
            reply.onCompleted();
          } catch (Exception e) {
            reply.onError(e);
          }
        }))
        .build();
    Server middle = kit.server(Transport.IN_PROCESS, kit.executor("relay", 1), forwarding,
        FlagServerInterceptor.builder(relay).build());
    ManagedChannel toRelay = kit.channel(Transport.IN_PROCESS, middle,
        MetadataUtils.newAttachHeadersInterceptor(inbound(wire)));

    assertThat(GrpcTestKit.unary(toRelay, new Metadata(), "m")).isEqualTo("m");
    assertThat(received.get()).as("the downstream server was called").isNotNull();
  }

  private static FlagRouter relay(HeaderCodec wire, RoutingCounters counters) {
    return FlagRouter.builder(FlagRoutes.empty()).mode(RoutingMode.RELAY).codec(wire)
        .meshHosts(MeshHosts.of("*.svc")).listener(counters).build();
  }

  /** The metadata an upstream hop stamps for {@link #UPSTREAM}. */
  private static Metadata inbound(HeaderCodec wire) {
    FlagContext.Builder upstream = FlagContext.builder(FlagRoutes.empty());
    UPSTREAM.forEach(upstream::carry);
    Map<String, String> stamped = new LinkedHashMap<>();
    wire.inject(upstream.build(), stamped, HeaderSetter.forMap());
    Metadata metadata = new Metadata();
    stamped.forEach((name, value) -> metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
    return metadata;
  }

  /** Sets the authority of every call, as a client does for a virtual host. */
  private static ClientInterceptor authority(String authority) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
          CallOptions callOptions, Channel next) {
        return next.newCall(method, callOptions.withAuthority(authority));
      }
    };
  }
}
