package dev.flagroute.grpc;

import static dev.flagroute.grpc.GrpcTestKit.method;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagExecutors;
import dev.flagroute.context.FlagScope;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@SuppressWarnings("try")
class FlagClientInterceptorTest {
  private static final Metadata.Key<String> CHECKOUT = ascii("x-flag-checkout");
  private static final Metadata.Key<String> SEARCH = ascii("x-flag-search");
  private static final Metadata.Key<String> COHORT = ascii("x-flag-cohort");
  private static final Metadata.Key<String> REQUEST_ID = ascii("x-request-id");
  private static final Metadata.Key<String> BAGGAGE = ascii("baggage");
  private static final Metadata.Key<byte[]> SEARCH_BIN = Metadata.Key.of("x-flag-search-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private final GrpcTestKit kit = new GrpcTestKit();
  private final AtomicReference<Metadata> received = new AtomicReference<>();

  @AfterEach
  void shutDown() throws InterruptedException {
    kit.close();
  }

  private static Metadata.Key<String> ascii(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  /** A unary echo service behind an interceptor that keeps the metadata it received. */
  private Channel capturingServer(HeaderCodec codec, Metadata attached) throws Exception {
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), echo(),
        GrpcTestKit.capturing(received));
    return kit.channel(Transport.IN_PROCESS, server, FlagClientInterceptor.create(codec),
        MetadataUtils.newAttachHeadersInterceptor(attached));
  }

  /** Replies with the flags current in the handler. */
  private static ServerServiceDefinition echo() {
    return ServerServiceDefinition.builder(GrpcTestKit.SERVICE)
        .addMethod(method(MethodType.UNARY), ServerCalls.asyncUnaryCall((String request, StreamObserver<String> reply) -> {
          reply.onNext(GrpcFlagContext.current().variants().toString());
          reply.onCompleted();
        }))
        .build();
  }

  @Test
  void stampsTheScopedContext() throws Exception {
    Channel channel = capturingServer(HeaderCodec.perFlag(), new Metadata());
    try (FlagScope ignored = TestFlags.context("v2", "on", "c3").makeCurrent()) {
      GrpcTestKit.unary(channel, new Metadata(), "m");
    }
    assertThat(received.get().get(CHECKOUT)).isEqualTo("v2");
    assertThat(received.get().get(SEARCH)).isEqualTo("on");
    assertThat(received.get().get(COHORT)).isEqualTo("c3");
  }

  @Test
  void stampsTheGrpcContextWhenNoScopeIsOpen() throws Exception {
    Channel channel = capturingServer(HeaderCodec.perFlag(), new Metadata());
    Context.current().withValue(GrpcFlagContext.key(), TestFlags.context("v3", "off", "c9"))
        .call(() -> GrpcTestKit.unary(channel, new Metadata(), "m"));
    assertThat(received.get().get(CHECKOUT)).isEqualTo("v3");
    assertThat(received.get().get(COHORT)).isEqualTo("c9");
  }

  @Test
  void theScopeWinsOverTheGrpcContext() throws Exception {
    Channel channel = capturingServer(HeaderCodec.perFlag(), new Metadata());
    Context.current().withValue(GrpcFlagContext.key(), TestFlags.context("v3", "off", "c9")).call(() -> {
      try (FlagScope ignored = TestFlags.context("v2", "on", "c1").makeCurrent()) {
        return GrpcTestKit.unary(channel, new Metadata(), "m");
      }
    });
    assertThat(received.get().get(CHECKOUT)).isEqualTo("v2");
  }

  @Test
  void callsOutsideAnyContextPassUntouched() throws Exception {
    Metadata byHand = new Metadata();
    byHand.put(CHECKOUT, "v3");
    Channel channel = capturingServer(HeaderCodec.perFlag(), byHand);

    GrpcTestKit.unary(channel, new Metadata(), "m");

    assertThat(received.get().getAll(CHECKOUT)).containsExactly("v3");
    assertThat(received.get().get(SEARCH)).isNull();
  }

  @Test
  void replacesStaleFlagMetadataAndKeepsTheRest() throws Exception {
    Metadata stale = new Metadata();
    stale.put(CHECKOUT, "v3");
    stale.put(CHECKOUT, "v1");
    stale.put(SEARCH_BIN, "on".getBytes(StandardCharsets.US_ASCII));
    stale.put(ascii("x-flag-retired"), "yes");
    stale.put(REQUEST_ID, "r-1");
    Channel channel = capturingServer(HeaderCodec.perFlag(), stale);

    try (FlagScope ignored = TestFlags.context("v2", "on", "c3").makeCurrent()) {
      GrpcTestKit.unary(channel, new Metadata(), "m");
    }

    Metadata headers = received.get();
    assertThat(headers.getAll(CHECKOUT)).containsExactly("v2");
    assertThat(headers.getAll(SEARCH)).containsExactly("on");
    assertThat(headers.containsKey(SEARCH_BIN)).isFalse();
    assertThat(headers.containsKey(ascii("x-flag-retired"))).isFalse();
    assertThat(headers.get(REQUEST_ID)).isEqualTo("r-1");
  }

  @Test
  void baggageKeepsMembersOfOtherOwners() throws Exception {
    Metadata stale = new Metadata();
    stale.put(BAGGAGE, "tenant=acme,flag.checkout=v3");
    Channel channel = capturingServer(HeaderCodec.baggage(), stale);

    try (FlagScope ignored = TestFlags.context("v2", "on", "c3").makeCurrent()) {
      GrpcTestKit.unary(channel, new Metadata(), "m");
    }

    assertThat(received.get().getAll(BAGGAGE))
        .containsExactly("tenant=acme,flag.checkout=v2,flag.search=on,flag.cohort=c3");
  }

  /** Override tokens are bearer tokens: they never leave through the interceptor, in a context or not. */
  @Test
  void neverSendsAnOverrideTokenInOrOutsideAContext() throws Exception {
    HeaderCodec codec = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).overrideHeader("x-tester-token")
        .build().codec();
    Metadata byHand = new Metadata();
    byHand.put(ascii(FlagRouter.DEFAULT_OVERRIDE_HEADER), "fr2:1:checkout=v2:::sig");
    byHand.put(ascii("x-tester-token"), "fr2:1:checkout=v2:::sig");
    byHand.put(REQUEST_ID, "r-1");
    Channel channel = capturingServer(codec, byHand);

    for (boolean inContext : new boolean[] {true, false}) {
      try (FlagScope ignored = (inContext ? TestFlags.context("v2", "on", "c3") : FlagContext.empty()).makeCurrent()) {
        GrpcTestKit.unary(channel, new Metadata(), "m");
      }

      assertThat(received.get().containsKey(ascii(FlagRouter.DEFAULT_OVERRIDE_HEADER))).as("in context: %s", inContext)
          .isFalse();
      assertThat(received.get().containsKey(ascii("x-tester-token"))).isFalse();
      assertThat(received.get().get(REQUEST_ID)).isEqualTo("r-1");
    }
  }

  /** The binary forms of flagroute's keys never leave either, in a context or not. */
  @Test
  void neverSendsTheBinaryFormsOfFlagKeys() throws Exception {
    Metadata byHand = new Metadata();
    for (String name : List.of("x-flagroute-override-bin", "x-flag-checkout-bin", "x-flagroute-shadow-bin")) {
      byHand.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), new byte[] {'v', '2'});
    }
    byHand.put(REQUEST_ID, "r-1");
    Channel channel = capturingServer(TestFlags.relay(HeaderCodec.perFlag(), RoutingListener.NOOP).codec(), byHand);

    for (boolean inContext : new boolean[] {true, false}) {
      try (FlagScope ignored = (inContext ? TestFlags.context("v2", "on", "c3") : FlagContext.empty()).makeCurrent()) {
        GrpcTestKit.unary(channel, new Metadata(), "m");
      }

      assertThat(received.get().keys()).as("in context: %s", inContext).noneMatch(name -> name.endsWith("-bin"));
      assertThat(received.get().get(REQUEST_ID)).isEqualTo("r-1");
    }
  }

  /**
   * The egress guard by authority: a call whose authority is outside the mesh carries no flags, no
   * token, no marker, not even those the application attached; it is counted. A mesh authority is
   * stamped.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAuthorityOutsideTheMeshGetsNoFlagsAtAll(Transport transport) throws Exception {
    RoutingCounters counters = new RoutingCounters();
    HeaderCodec codec = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).codec(HeaderCodec.baggage())
        .listener(counters).build().codec();
    Metadata byHand = new Metadata();
    byHand.put(BAGGAGE, "tenant=acme,flag.checkout=v1");
    byHand.put(ascii("x-flag-checkout"), "v1");
    byHand.put(ascii(FlagRouter.DEFAULT_OVERRIDE_HEADER), "fr2:1:checkout=v2:::sig");
    byHand.put(Metadata.Key.of("x-flagroute-override-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {1});
    byHand.put(REQUEST_ID, "r-1");
    Server server = kit.server(transport, kit.executor("server", 1), echo(), GrpcTestKit.capturing(received));

    for (String authority : List.of("api.partner.example:443", "reviews.shop.svc.cluster.local:8443")) {
      Channel channel = kit.channel(transport, server, FlagClientInterceptor.create(codec),
          MetadataUtils.newAttachHeadersInterceptor(byHand), authority(authority));
      try (FlagScope ignored = TestFlags.context("v2", "on", "c3").makeCurrent()) {
        GrpcTestKit.unary(channel, new Metadata(), "m");
      }

      Metadata seen = received.get();
      boolean outside = authority.startsWith("api.");
      assertThat(seen.getAll(BAGGAGE)).as(authority).containsExactly(outside ? "tenant=acme"
          : "tenant=acme,flag.checkout=v2,flag.search=on,flag.cohort=c3");
      assertThat(seen.containsKey(ascii(FlagRouter.DEFAULT_OVERRIDE_HEADER))).isFalse();
      assertThat(seen.keys()).noneMatch(name -> name.endsWith("-bin"));
      assertThat(seen.get(REQUEST_ID)).isEqualTo("r-1");
      if (outside) {
        assertThat(seen.containsKey(ascii("x-flag-checkout"))).isFalse();
      }
    }
    assertThat(counters.egressBlocked()).isEqualTo(1);
  }

  /**
   * Outside the mesh, only keys that may carry flags are read and rewritten: the bare {@code x-flag-}
   * prefix and any codec's flag keys go, baggage keeps its foreign members, everything else passes
   * as sent, values unread.
   */
  @Test
  void outsideTheMeshOnlyFlagKeysAreRewritten() throws Exception {
    Metadata byHand = new Metadata();
    byHand.put(ascii("x-flag-"), "v1");
    byHand.put(ascii("x-flags"), "checkout=v1");
    byHand.put(ascii("x-flagsx"), "kept");
    byHand.put(BAGGAGE, "flag.search=on,tenant=acme");
    byHand.put(REQUEST_ID, "r-1");
    byHand.put(Metadata.Key.of("trace-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {1, 2});
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), echo(),
        GrpcTestKit.capturing(received));
    Channel channel = kit.channel(Transport.IN_PROCESS, server, FlagClientInterceptor.create(HeaderCodec.perFlag()),
        MetadataUtils.newAttachHeadersInterceptor(byHand), authority("api.partner.example:443"));

    try (FlagScope ignored = TestFlags.context("v2", "on", "c3").makeCurrent()) {
      GrpcTestKit.unary(channel, new Metadata(), "m");
    }

    Metadata seen = received.get();
    assertThat(seen.keys()).doesNotContain("x-flag-", "x-flags", "x-flag-checkout");
    assertThat(seen.get(ascii("x-flagsx"))).isEqualTo("kept");
    assertThat(seen.getAll(BAGGAGE)).containsExactly("tenant=acme");
    assertThat(seen.get(REQUEST_ID)).isEqualTo("r-1");
    assertThat(seen.get(Metadata.Key.of("trace-bin", Metadata.BINARY_BYTE_MARSHALLER))).containsExactly(1, 2);
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

  /** How a server handler hands its outbound call to another thread. */
  enum Handoff {
    CALLBACK_THREAD(true),
    FLAG_EXECUTORS(true),
    GRPC_CURRENT_CONTEXT_EXECUTOR(true),
    GRPC_CONTEXT_WRAP(true),
    PLAIN_EXECUTOR(false);

    final boolean carriesContext;

    Handoff(boolean carriesContext) {
      this.carriesContext = carriesContext;
    }

    String run(ExecutorService pool, Callable<String> call) throws Exception {
      return switch (this) {
        case CALLBACK_THREAD -> call.call();
        case FLAG_EXECUTORS -> FlagExecutors.wrap(pool).submit(call).get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        case GRPC_CURRENT_CONTEXT_EXECUTOR -> {
          CompletableFuture<String> result = new CompletableFuture<>();
          Context.currentContextExecutor(pool).execute(() -> {
            try {
              result.complete(call.call());
            } catch (Exception e) {
              result.completeExceptionally(e);
            }
          });
          yield result.get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        case GRPC_CONTEXT_WRAP -> pool.submit(Context.current().wrap(call)).get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        case PLAIN_EXECUTOR -> pool.submit(call).get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      };
    }
  }

  @ParameterizedTest
  @EnumSource(Handoff.class)
  void aServerRelaysItsFlagsOnCallsMadeFromOtherThreads(Handoff handoff) throws Exception {
    FlagClientInterceptor stamping = FlagClientInterceptor.create(HeaderCodec.perFlag());
    FlagServerInterceptor relay = FlagServerInterceptor.builder(TestFlags.relay()).build();
    Server downstream = kit.server(Transport.IN_PROCESS, kit.executor("downstream", 1), echo(), relay);
    ManagedChannel toDownstream = kit.channel(Transport.IN_PROCESS, downstream, stamping);
    ExecutorService pool = kit.executor("handoff", 2);
    ServerServiceDefinition forwarding = ServerServiceDefinition.builder(GrpcTestKit.SERVICE)
        .addMethod(method(MethodType.UNARY), ServerCalls.asyncUnaryCall((String request, StreamObserver<String> reply) -> {
          try {
            reply.onNext(handoff.run(pool, () -> GrpcTestKit.unary(toDownstream, new Metadata(), request)));
            reply.onCompleted();
          } catch (Exception e) {
            reply.onError(e);
          }
        }))
        .build();
    Server upstream = kit.server(Transport.IN_PROCESS, kit.executor("upstream", 1), forwarding, relay);
    ManagedChannel toUpstream = kit.channel(Transport.IN_PROCESS, upstream, stamping);
    FlagContext sent = TestFlags.context("v3", "on", "c12");

    String reply;
    try (FlagScope ignored = sent.makeCurrent()) {
      reply = GrpcTestKit.unary(toUpstream, new Metadata(), "m");
    }

    Map<String, String> expected = handoff.carriesContext ? sent.variants() : defaultsInRouteOrder();
    assertThat(reply).isEqualTo(expected.toString());
    assertThat(ThreadState.ofEveryThread(pool, 2)).allMatch(ThreadState::isClean);
  }

  private static Map<String, String> defaultsInRouteOrder() {
    return FlagContext.builder(TestFlags.ROUTES).fillDefaults("MISSING").build().variants();
  }
}
