package dev.flagroute.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every call's outcome reaches the router once, when the call closes: failed when the server is at
 * fault by core's rule (UNKNOWN, INTERNAL, UNAVAILABLE, its own DEADLINE_EXCEEDED), never for a
 * client error or a call the client cancelled.
 */
class CallOutcomeTest {
  private final GrpcTestKit kit = new GrpcTestKit();
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  private final List<String> users = new CopyOnWriteArrayList<>();
  private final RoutingListener listener = new RoutingListener() {
    @Override
    public void completed(FlagContext flags, RequestOutcome outcome) {
      outcomes.add(flags.variant("checkout") + (outcome.failed() ? " failed" : " ok"));
      users.add(String.valueOf(outcome.user()));
    }
  };

  @AfterEach
  void shutDown() throws InterruptedException {
    kit.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void closedCallsReportTheirStatusOnce(Transport transport) throws Exception {
    Server server = kit.server(transport, kit.executor("server", 2), GrpcTestKit.unaryService(request -> switch (request) {
      case "unavailable" -> throw Status.UNAVAILABLE.withDescription("expected by the test").asException();
      case "invalid" -> throw Status.INVALID_ARGUMENT.withDescription("expected by the test").asException();
      case "not-found" -> throw Status.NOT_FOUND.withDescription("expected by the test").asException();
      case "deadline" -> throw Status.DEADLINE_EXCEEDED.withDescription("a downstream call timed out").asException();
      case "boom" -> throw new IllegalStateException("expected by the test");
      default -> request;
    }), FlagServerInterceptor.builder(TestFlags.relay(HeaderCodec.perFlag(), listener)).build());
    ManagedChannel channel = kit.channel(transport, server);
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-flag-checkout", Metadata.ASCII_STRING_MARSHALLER), "v2");

    List<String> requests = List.of("ok", "unavailable", "boom", "invalid", "not-found", "deadline", "ok");
    for (String request : requests) {
      GrpcTestKit.call(channel, GrpcTestKit.method(MethodType.UNARY), headers, List.of(request));
    }

    assertThat(eventually(() -> outcomes.size() >= requests.size())).isTrue();
    // each call once; the server reports after the reply, so a later call can be reported first
    assertThat(outcomes).containsExactlyInAnyOrder("v2 ok", "v2 failed", "v2 failed", "v2 ok", "v2 ok", "v2 failed",
        "v2 ok");
    assertThat(users).as("no targeting key: the peer's address, where the transport has one").containsOnly(
        transport == Transport.NETTY ? "client:127.0.0.1" : "null");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aCancelledCallIsReportedButNotAsFailed(Transport transport) throws Exception {
    RecordingHandler handler = new RecordingHandler(MethodType.BIDI_STREAMING);
    Server server = kit.server(transport, kit.executor("server", 1), handler.service(),
        FlagServerInterceptor.builder(TestFlags.relay(HeaderCodec.perFlag(), listener)).build());
    ManagedChannel channel = kit.channel(transport, server, FlagClientInterceptor.create(HeaderCodec.perFlag()));

    io.grpc.ClientCall<String, String> call;
    try (var ignored = TestFlags.context("v3", "on", "c2").makeCurrent()) {
      call = channel.newCall(GrpcTestKit.method(MethodType.BIDI_STREAMING), io.grpc.CallOptions.DEFAULT);
    }
    call.start(new io.grpc.ClientCall.Listener<>() {}, new Metadata());
    call.request(1);
    call.sendMessage("m0");
    handler.awaitFirstMessage();
    call.cancel("test cancels", null);
    handler.awaitDone();

    assertThat(eventually(() -> !outcomes.isEmpty())).isTrue();
    assertThat(outcomes).as("the client gave up: nothing the server did wrong").containsExactly("v3 ok");
  }

  private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
