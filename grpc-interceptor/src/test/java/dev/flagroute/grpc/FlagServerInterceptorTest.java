package dev.flagroute.grpc;

import static dev.flagroute.grpc.GrpcTestKit.method;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.context.Source;
import dev.flagroute.evaluation.RequestContextSpec;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@SuppressWarnings("try")
class FlagServerInterceptorTest {
  private static final Metadata.Key<String> USER = Metadata.Key.of("x-user-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CHECKOUT =
      Metadata.Key.of("x-flag-checkout", Metadata.ASCII_STRING_MARSHALLER);

  private final GrpcTestKit kit = new GrpcTestKit();

  @AfterEach
  void shutDown() throws InterruptedException {
    kit.close();
  }

  static Stream<Arguments> transportsAndTypes() {
    return Stream.of(Transport.values()).flatMap(transport -> Stream.of(MethodType.UNARY, MethodType.CLIENT_STREAMING,
        MethodType.SERVER_STREAMING, MethodType.BIDI_STREAMING).map(type -> Arguments.of(transport, type)));
  }

  private static FlagServerInterceptor relayInterceptor() {
    return FlagServerInterceptor.builder(TestFlags.relay()).build();
  }

  @ParameterizedTest
  @MethodSource("transportsAndTypes")
  void everyCallbackSeesTheCallsFlagsInBothScopesAndLeavesNothingBehind(Transport transport, MethodType type)
      throws Exception {
    ExecutorService serverThreads = kit.executor("server", 2);
    RecordingHandler handler = new RecordingHandler(type);
    Server server = kit.server(transport, serverThreads, handler.service(), relayInterceptor());
    ManagedChannel channel = kit.channel(transport, server, FlagClientInterceptor.create(HeaderCodec.perFlag()));
    FlagContext sent = TestFlags.context("v2", "on", "c7");
    boolean oneRequest = type == MethodType.UNARY || type == MethodType.SERVER_STREAMING;
    List<String> messages = oneRequest ? List.of("m0") : List.of("m0", "m1", "m2", "m3", "m4");

    GrpcTestKit.Result result;
    try (FlagScope ignored = sent.makeCurrent()) {
      result = GrpcTestKit.call(channel, method(type), new Metadata(), messages);
    }
    handler.awaitDone();

    assertThat(result.status().isOk()).as("status %s", result.status()).isTrue();
    String variants = sent.variants().toString();
    if (type == MethodType.SERVER_STREAMING || type == MethodType.BIDI_STREAMING) {
      assertThat(result.replies()).containsExactlyElementsOf(messages.stream().map(m -> m + " " + variants).toList());
    } else {
      assertThat(result.replies()).containsExactly("halfClose " + variants);
    }
    List<RecordingHandler.Event> events = handler.events();
    assertThat(events).extracting(RecordingHandler.Event::name)
        .contains("startCall", "onReady", "onHalfClose", "onComplete")
        .filteredOn("onMessage"::equals).hasSize(messages.size());
    assertThat(events).allSatisfy(event -> {
      assertThat(event.scoped()).as(event.name()).isEqualTo(sent.variants());
      assertThat(event.grpc()).as(event.name()).isEqualTo(sent.variants());
    });
    assertThat(ThreadState.ofEveryThread(serverThreads, 2)).allMatch(ThreadState::isClean);
    assertThat(ThreadState.capture().isClean()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void cancelledCallSeesItsFlagsInOnCancel(Transport transport) throws Exception {
    ExecutorService serverThreads = kit.executor("server", 1);
    RecordingHandler handler = new RecordingHandler(MethodType.BIDI_STREAMING);
    Server server = kit.server(transport, serverThreads, handler.service(), relayInterceptor());
    ManagedChannel channel = kit.channel(transport, server, FlagClientInterceptor.create(HeaderCodec.perFlag()));
    FlagContext sent = TestFlags.context("v3", "on", "c2");

    ClientCall<String, String> call;
    try (FlagScope ignored = sent.makeCurrent()) {
      call = channel.newCall(method(MethodType.BIDI_STREAMING), CallOptions.DEFAULT);
    }
    call.start(new ClientCall.Listener<>() {}, new Metadata());
    call.request(1);
    call.sendMessage("m0");
    handler.awaitFirstMessage();
    call.cancel("test cancels", null);
    handler.awaitDone();

    assertThat(handler.events()).extracting(RecordingHandler.Event::name).contains("onMessage", "onCancel");
    assertThat(handler.events()).allSatisfy(event -> {
      assertThat(event.scoped()).as(event.name()).isEqualTo(sent.variants());
      assertThat(event.grpc()).as(event.name()).isEqualTo(sent.variants());
    });
    assertThat(ThreadState.ofEveryThread(serverThreads, 1)).allMatch(ThreadState::isClean);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void stubHandlersKeepTheFlagsForEveryStreamedMessage(Transport transport) throws Exception {
    ServerServiceDefinition service = ServerServiceDefinition.builder(GrpcTestKit.SERVICE)
        .addMethod(method(MethodType.BIDI_STREAMING), ServerCalls.asyncBidiStreamingCall((StreamObserver<String> replies) -> new StreamObserver<String>() {
          @Override
          public void onNext(String message) {
            replies.onNext(message + " " + RecordingHandler.seen() + " " + GrpcFlagContext.current().variants());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            replies.onNext("done " + RecordingHandler.seen() + " " + GrpcFlagContext.current().variants());
            replies.onCompleted();
          }
        }))
        .build();
    ExecutorService serverThreads = kit.executor("server", 4);
    Server server = kit.server(transport, serverThreads, service, relayInterceptor());
    ManagedChannel channel = kit.channel(transport, server, FlagClientInterceptor.create(HeaderCodec.perFlag()));
    FlagContext sent = TestFlags.context("v2", "off", "c11");

    ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
    CompletableFuture<Void> completed = new CompletableFuture<>();
    StreamObserver<String> requests;
    try (FlagScope ignored = sent.makeCurrent()) {
      requests = ClientCalls.asyncBidiStreamingCall(
          channel.newCall(method(MethodType.BIDI_STREAMING), CallOptions.DEFAULT), new StreamObserver<>() {
            @Override
            public void onNext(String reply) {
              replies.add(reply);
            }

            @Override
            public void onError(Throwable t) {
              completed.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              completed.complete(null);
            }
          });
    }
    List<String> messages = IntStream.range(0, 100).mapToObj(i -> "m" + i).toList();
    messages.forEach(requests::onNext);
    requests.onCompleted();
    completed.get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);

    String seen = sent.variants() + " " + sent.variants();
    List<String> expected = new ArrayList<>(messages.stream().map(m -> m + " " + seen).toList());
    expected.add("done " + seen);
    assertThat(replies).containsExactlyElementsOf(expected);
    assertThat(ThreadState.ofEveryThread(serverThreads, 4)).allMatch(ThreadState::isClean);
  }

  @Test
  void callsWithoutFlagMetadataGetEveryDefault() throws Exception {
    RecordingHandler handler = new RecordingHandler(MethodType.UNARY);
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), handler.service(), relayInterceptor());
    ManagedChannel channel = kit.channel(Transport.IN_PROCESS, server, FlagClientInterceptor.create(HeaderCodec.perFlag()));

    assertThat(GrpcTestKit.unary(channel, new Metadata(), "m")).isEqualTo("halfClose " + defaultsInRouteOrder());
    handler.awaitDone();
    assertThat(handler.events()).allSatisfy(event -> assertThat(event.grpc()).isEqualTo(TestFlags.defaults()));
  }

  private static String defaultsInRouteOrder() {
    return FlagContext.builder(TestFlags.ROUTES).fillDefaults("MISSING").build().variants().toString();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void edgeDecidesFromTheTargetingKeyAndDropsStampedFlagsAsUntrusted(Transport transport) throws Exception {
    RoutingCounters counters = new RoutingCounters();
    FlagServerInterceptor edge = FlagServerInterceptor.builder(TestFlags.edgeReportingForeignHeaders(counters))
        .evaluationContext(EvaluationContextFunction.targetingKey("x-user-id"))
        .build();
    RecordingHandler handler = new RecordingHandler(MethodType.UNARY);
    Server server = kit.server(transport, kit.executor("server", 1), handler.service(), edge);
    ManagedChannel channel = kit.channel(transport, server);
    Metadata headers = new Metadata();
    headers.put(USER, "beta-5");
    headers.put(CHECKOUT, "v3");

    GrpcTestKit.unary(channel, headers, "m");
    handler.awaitDone();

    assertThat(handler.events()).allSatisfy(event -> {
      assertThat(event.scoped()).isEqualTo(TestFlags.edgeVariants("beta-5"));
      assertThat(event.grpc()).isEqualTo(Map.of("checkout", "v2", "search", "on", "cohort", "c5"));
    });
    assertThat(counters.dropped(DropReason.UNTRUSTED)).isEqualTo(1);
    assertThat(counters.decisions()).isEqualTo(1);
  }

  /**
   * What interceptors that run after flagroute's, and so the application, see of the metadata: the
   * decided flags, no flag metadata of another codec, no override token, and baggage without flags.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void laterInterceptorsSeeDecidedFlagsOnlyAndNoOverrideToken(Transport transport) throws Exception {
    AtomicReference<Metadata> seen = new AtomicReference<>();
    ServerInterceptor spy = GrpcTestKit.capturing(seen);
    FlagServerInterceptor edge = FlagServerInterceptor.builder(TestFlags.edge(new RoutingCounters()))
        .evaluationContext(EvaluationContextFunction.targetingKey("x-user-id")).build();
    FlagServerInterceptor relay = relayInterceptor();
    for (FlagServerInterceptor flagroute : List.of(edge, relay)) {
      Server server = kit.server(transport, kit.executor("server", 1), GrpcTestKit.unaryService(request -> "ok"),
          spy, flagroute);
      Metadata headers = new Metadata();
      headers.put(USER, "beta-5");
      headers.put(CHECKOUT, "v3");
      headers.put(ascii("x-flag-bogus"), "yes");
      headers.put(ascii("x-flags"), "checkout=v2,search=on");
      headers.put(ascii("baggage"), "userId=alice, flag.checkout=v2,FLAG.search=on;p=1,other=1");
      headers.put(ascii(FlagRouter.DEFAULT_OVERRIDE_HEADER), "fr2:4102444800:checkout=v2:::forged");
      headers.put(Metadata.Key.of("x-flag-search-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {1});
      for (String flagKey : BINARY_FLAG_KEYS) {
        headers.put(binary(flagKey), "fr2:4102444800:checkout=v2:::forged".getBytes(StandardCharsets.US_ASCII));
      }
      headers.put(binary("baggage-bin"), "tenant=acme,flag.checkout=v2".getBytes(StandardCharsets.US_ASCII));
      headers.put(binary("x-trace-bin"), new byte[] {7});
      headers.put(ascii("x-other"), "kept");

      GrpcTestKit.unary(kit.channel(transport, server), headers, "m");

      Metadata view = seen.get();
      String expectedCheckout = flagroute == edge ? "v2" : "v3";
      assertThat(view.getAll(CHECKOUT)).as("%s", view).containsExactly(expectedCheckout);
      assertThat(view.get(ascii("x-flag-search"))).isEqualTo(flagroute == edge ? "on" : "off");
      assertThat(view.get(ascii("x-flag-bogus"))).as("a relay carries what it does not route, the edge drops it")
          .isEqualTo(flagroute == edge ? null : "yes");
      assertThat(view.containsKey(ascii("x-flags"))).isFalse();
      assertThat(view.containsKey(ascii(FlagRouter.DEFAULT_OVERRIDE_HEADER))).isFalse();
      assertThat(view.containsKey(Metadata.Key.of("x-flag-search-bin", Metadata.BINARY_BYTE_MARSHALLER))).isFalse();
      assertThat(view.getAll(ascii("baggage"))).containsExactly("userId=alice,other=1");
      assertThat(view.get(ascii("x-other"))).isEqualTo("kept");
      assertThat(view.get(USER)).isEqualTo("beta-5");
      for (String flagKey : BINARY_FLAG_KEYS) {
        assertThat(view.containsKey(binary(flagKey))).as("binary %s", flagKey).isFalse();
      }
      assertThat(new String(view.get(binary("baggage-bin")), StandardCharsets.US_ASCII)).isEqualTo("tenant=acme");
      assertThat(view.get(binary("x-trace-bin"))).containsExactly(7);
    }
  }

  /** The binary forms of flagroute's keys, hidden from the application like the ASCII forms. */
  private static final List<String> BINARY_FLAG_KEYS = List.of("x-flagroute-override-bin", "x-flag-checkout-bin",
      "x-flags-bin", "x-flagroute-shadow-bin");

  private static Metadata.Key<byte[]> binary(String name) {
    return Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
  }

  /**
   * A relay call with 10,000 flag-like metadata keys: the application sees none of them, and the
   * rest of the metadata as sent (removed by one copy, not one pass per key; see
   * {@code MetadataViewBenchmark} for the cost). In process: Netty caps metadata at 8 KiB.
   */
  @Test
  void tenThousandFlagKeysAreHiddenAndTheRestKept() throws Exception {
    Transport transport = Transport.IN_PROCESS;
    AtomicReference<Metadata> seen = new AtomicReference<>();
    Server server = kit.server(transport, kit.executor("server", 1), GrpcTestKit.unaryService(request -> "ok"),
        GrpcTestKit.capturing(seen), relayInterceptor());
    Metadata headers = new Metadata();
    headers.put(CHECKOUT, "v2");
    for (int i = 0; i < 10_000; i++) {
      headers.put(ascii("x-flag-junk" + i), "v" + i);
      if (i % 100 == 0) {
        headers.put(ascii("x-other" + i), "kept" + i);
      }
    }

    GrpcTestKit.unary(kit.channel(transport, server), headers, "m");

    Metadata view = seen.get();
    assertThat(view.getAll(CHECKOUT)).containsExactly("v2");
    // a relay carries flags it has no route for, but only within the limits: the rest are dropped
    assertThat(view.keys().stream().filter(name -> name.startsWith("x-flag-junk")))
        .hasSizeLessThanOrEqualTo(HeaderLimits.DEFAULT.maxFlags())
        .allSatisfy(name -> assertThat(view.get(ascii(name))).isEqualTo("v" + name.substring("x-flag-junk".length())));
    for (int i = 0; i < 10_000; i += 100) {
      assertThat(view.get(ascii("x-other" + i))).isEqualTo("kept" + i);
    }
  }

  private static Metadata.Key<String> ascii(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  @Test
  void edgeStampsEvaluatedDecisions() throws Exception {
    FlagServerInterceptor edge = FlagServerInterceptor.builder(TestFlags.edge(new RoutingCounters()))
        .evaluationContext(EvaluationContextFunction.targetingKey("x-user-id"))
        .build();
    CompletableFuture<FlagContext> seen = new CompletableFuture<>();
    ServerServiceDefinition service = ServerServiceDefinition.builder(GrpcTestKit.SERVICE)
        .addMethod(method(MethodType.UNARY), ServerCalls.asyncUnaryCall((String request, StreamObserver<String> reply) -> {
          seen.complete(FlagContext.current());
          reply.onNext("ok");
          reply.onCompleted();
        }))
        .build();
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), service, edge);
    Metadata headers = new Metadata();
    headers.put(USER, "beta-1");

    GrpcTestKit.unary(kit.channel(Transport.IN_PROCESS, server), headers, "m");

    FlagContext flags = seen.get(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(flags.decision("checkout").source()).isEqualTo(Source.EVALUATED);
    assertThat(flags.decision("checkout").reason()).isEqualTo("TARGETING_MATCH");
  }

  @Test
  void failingEvaluationContextFunctionNeverFailsTheCall() throws Exception {
    FlagServerInterceptor edge = FlagServerInterceptor.builder(TestFlags.edge(new RoutingCounters()))
        .evaluationContext((call, headers) -> {
          throw new IllegalStateException("broken user lookup");
        })
        .build();
    RecordingHandler handler = new RecordingHandler(MethodType.UNARY);
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), handler.service(), edge);
    Metadata headers = new Metadata();
    headers.put(USER, "beta-3");

    String reply = GrpcTestKit.unary(kit.channel(Transport.IN_PROCESS, server), headers, "m");

    assertThat(reply).isEqualTo("halfClose " + defaultsInRouteOrder());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anEvaluationContextFunctionThrowingAnErrorNeverFailsTheCall(Transport transport) throws Exception {
    FlagServerInterceptor edge = FlagServerInterceptor.builder(TestFlags.edge(new RoutingCounters()))
        .evaluationContext((call, headers) -> {
          throw new NoClassDefFoundError("com/vendor/Session (expected by the test)");
        })
        .build();
    RecordingHandler handler = new RecordingHandler(MethodType.UNARY);
    Server server = kit.server(transport, kit.executor("server", 1), handler.service(), edge);
    Metadata headers = new Metadata();
    headers.put(USER, "beta-3");

    String reply = GrpcTestKit.unary(kit.channel(transport, server), headers, "m");

    assertThat(reply).isEqualTo("halfClose " + defaultsInRouteOrder());
  }

  /**
   * An evaluation context function that adds an attribute from metadata, on a router declaring no
   * cache-key attribute: a call carrying the attribute must not pin its decision on its user.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAttributeFromMetadataCannotPoisonTheDecisionCache(Transport transport) throws Exception {
    Metadata.Key<String> plan = Metadata.Key.of("x-plan", Metadata.ASCII_STRING_MARSHALLER);
    OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    api.setProviderAndWait(new InMemoryProvider(Map.of("checkout", Flag.<String>builder()
        .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
        .contextEvaluator((flag, ctx) -> ctx.getValue("plan") != null
            && "pro".equals(ctx.getValue("plan").asString()) ? "v2" : null).build(),
        "search", Flag.<String>builder().variant("off", "off").defaultVariant("off").build(),
        "cohort", Flag.<String>builder().variant("c0", "c0").defaultVariant("c0").build())));
    FlagRouter router = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.EDGE).client(api.getClient()).build();
    FlagServerInterceptor edge = FlagServerInterceptor.builder(router)
        .evaluationContext((call, headers) -> headers.get(plan) == null ? new ImmutableContext(headers.get(USER))
            : new ImmutableContext(headers.get(USER), Map.of("plan", new Value(headers.get(plan)))))
        .build();
    ServerServiceDefinition service = GrpcTestKit.unaryService(request -> FlagContext.current().variant("checkout"));
    ManagedChannel channel = kit.channel(transport, kit.server(transport, kit.executor("server", 2), service, edge));
    try {
      Metadata pro = new Metadata();
      pro.put(USER, "victim");
      pro.put(plan, "pro");
      Metadata own = new Metadata();
      own.put(USER, "victim");

      assertThat(GrpcTestKit.unary(channel, pro, "m")).isEqualTo("v2");
      assertThat(GrpcTestKit.unary(channel, own, "m")).as("the victim's own decision").isEqualTo("v1");
      Metadata anonymousPro = new Metadata();
      anonymousPro.put(plan, "pro");
      assertThat(GrpcTestKit.unary(channel, anonymousPro, "m")).isEqualTo("v2");
      assertThat(GrpcTestKit.unary(channel, new Metadata(), "m")).as("the shared anonymous decision").isEqualTo("v1");
    } finally {
      api.shutdown();
    }
  }

  @Test
  void evaluationContextFunctionReturningNullMeansEmpty() throws Exception {
    FlagServerInterceptor edge = FlagServerInterceptor.builder(TestFlags.edge(new RoutingCounters()))
        .evaluationContext((call, headers) -> null)
        .build();
    RecordingHandler handler = new RecordingHandler(MethodType.UNARY);
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), handler.service(), edge);

    String reply = GrpcTestKit.unary(kit.channel(Transport.IN_PROCESS, server), new Metadata(), "m");

    assertThat(reply).isEqualTo("halfClose " + defaultsInRouteOrder());
  }

  static Stream<HeaderCodec> codecs() {
    return Stream.of(HeaderCodec.perFlag(), HeaderCodec.perFlag("x-exp-"), HeaderCodec.combined(),
        HeaderCodec.combined("x-routing"), HeaderCodec.baggage());
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void everyCodecCarriesTheFlagsThroughMetadata(HeaderCodec codec) throws Exception {
    RoutingCounters counters = new RoutingCounters();
    RecordingHandler handler = new RecordingHandler(MethodType.UNARY);
    FlagServerInterceptor relay = FlagServerInterceptor.builder(TestFlags.relay(codec, counters)).build();
    Server server = kit.server(Transport.IN_PROCESS, kit.executor("server", 1), handler.service(), relay);
    ManagedChannel channel = kit.channel(Transport.IN_PROCESS, server, FlagClientInterceptor.create(codec));
    FlagContext sent = TestFlags.context("v3", "on", "c15");

    try (FlagScope ignored = sent.makeCurrent()) {
      assertThat(GrpcTestKit.unary(channel, new Metadata(), "m")).isEqualTo("halfClose " + sent.variants());
    }
    assertThat(counters.dropped()).isZero();
  }

  @Test
  void builderRejectsFlagHeadersThatCannotTravelAsAsciiMetadata() {
    FlagRoutes binary = FlagRoutes.of(FlagRoute.builder("tier-bin").service("tier")
        .variant("a", "a").defaultVariant("a").build());
    FlagRouter binaryRouter = FlagRouter.builder(binary).mode(RoutingMode.RELAY).build();
    FlagRouter badPrefix = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY)
        .codec(HeaderCodec.perFlag("x-flag!")).build();

    assertThatThrownBy(() -> FlagServerInterceptor.builder(binaryRouter))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-flag-tier-bin").hasMessageContaining("-bin");
    assertThatThrownBy(() -> FlagServerInterceptor.builder(badPrefix))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-flag!checkout");
  }

  @Test
  void targetingKeyFunctionReadsTheLastValueOrNothing() {
    EvaluationContextFunction function = EvaluationContextFunction.targetingKey("x-user-id");
    Metadata headers = new Metadata();
    assertThat(function.apply(null, headers).getTargetingKey()).isNull();
    headers.put(USER, "alice");
    assertThat(function.apply(null, headers).getTargetingKey()).isEqualTo("alice");
    assertThatThrownBy(() -> EvaluationContextFunction.targetingKey("user-bin"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void metadataIsReadWithinCoresBounds() {
    Metadata headers = new Metadata();
    headers.put(USER, "k".repeat(RequestContextSpec.MAX_TARGETING_KEY_LENGTH + 1));
    headers.put(ascii("x-tenant-id"), " acme ");
    headers.put(ascii("x-plan"), "p".repeat(RequestContextSpec.MAX_ATTRIBUTE_LENGTH + 1));

    EvaluationContext context = EvaluationContextFunction.headers(RequestContextSpec.of("x-user-id",
        Map.of("tenant", "x-tenant-id", "plan", "x-plan"))).apply(null, headers);

    assertThat(context.getTargetingKey()).as("an over-long key counts as none").isNull();
    assertThat(context.getValue("tenant").asString()).isEqualTo("acme");
    assertThat(context.keySet()).doesNotContain("plan");
    assertThat(EvaluationContextFunction.targetingKey("x-user-id").apply(null, headers).getTargetingKey()).isNull();
  }
}
