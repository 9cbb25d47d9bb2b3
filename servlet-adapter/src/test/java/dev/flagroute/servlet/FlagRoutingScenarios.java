package dev.flagroute.servlet;

import static dev.flagroute.servlet.TestFlags.checkout;
import static dev.flagroute.servlet.TestFlags.isPro;
import static dev.flagroute.servlet.TestFlags.search;
import static dev.flagroute.servlet.TestFlags.user;
import static dev.flagroute.servlet.TestFlags.variants;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ThreadLocalTransactionContextPropagator;
import dev.openfeature.sdk.Value;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter's scenarios over real HTTP on a real container; each container runs them all through
 * a subclass. The application's outbound calls go to a MockWebServer that echoes the flag headers
 * it receives, so each reply shows the decision as the app saw it on every thread and downstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FlagRoutingScenarios {
  /** The trailer fields {@link #trailersAreSanitisedToo} sends; Tomcat must be told to allow them. */
  static final List<String> TRAILERS_SENT = List.of("x-flag-checkout", "x-flags", "x-flagroute-override", "baggage",
      "x-other");
  private static final String DEBUG_HEADER = "x-flagroute-debug";
  private static final String GLOBAL_DOMAIN = "flagroute-servlet-test";

  private final MockWebServer downstream = new MockWebServer();
  private final OpenFeatureAPI openFeature = OpenFeatureAPI.createIsolated();
  private final RoutingCounters edgeCounters = new RoutingCounters();
  private final RoutingCounters relayCounters = new RoutingCounters();
  private final List<RunningApp> apps = new ArrayList<>();
  private RunningApp edge;
  private RunningApp relay;

  @TempDir
  Path tempDir;

  /** The container under test. */
  abstract EmbeddedContainer newContainer();

  private record RunningApp(URI base, FlagTestApp app, EmbeddedContainer container) {}

  @BeforeAll
  void startApps() throws Exception {
    downstream.setDispatcher(new EchoFlagHeaders());
    downstream.start(InetAddress.getLoopbackAddress(), 0);
    openFeature.setTransactionContextPropagator(new ThreadLocalTransactionContextPropagator());
    openFeature.setProviderAndWait(TestFlags.provider());
    FlagRouter edgeRouter = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.EDGE)
        .client(openFeature.getClient()).listener(edgeCounters).reportForeignHeaders(true).build();
    edge = start(edgeRouter.codec(), openFeature, context -> FlagRoutingFilter.builder(edgeRouter)
        .targetingKey(TargetingKeySource.header("x-user-id"))
        .attributeFromHeader("plan", "x-plan")
        .openFeature(openFeature)
        .debugHeader(DEBUG_HEADER)
        .build()
        .register(context, "flagroute"));
    FlagRouter relayRouter = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY)
        .listener(relayCounters).reportForeignHeaders(true).build();
    relay = start(relayRouter.codec(), openFeature, context -> FlagRoutingFilter.builder(relayRouter)
        .targetingKey(TargetingKeySource.header("x-user-id"))
        .openFeature(openFeature)
        .build()
        .register(context, "flagroute"));
  }

  private RunningApp start(HeaderCodec codec, OpenFeatureAPI api, Consumer<ServletContext> installFilter)
      throws Exception {
    FlagTestApp app = new FlagTestApp(codec, api, downstream.url("/downstream"), installFilter);
    EmbeddedContainer container = newContainer();
    RunningApp running = new RunningApp(container.start(app), app, container);
    apps.add(running);
    return running;
  }

  @AfterEach
  void nothingLeftOnContainerThreads() {
    for (RunningApp running : apps) {
      assertThat(running.app().probe().leaks()).as("left on threads of %s", running.container()).isEmpty();
    }
  }

  @AfterAll
  void stopApps() throws Exception {
    for (RunningApp running : apps) {
      running.container().close();
      running.app().close();
    }
    openFeature.shutdown();
    downstream.close();
  }

  @Test
  void edgeDecidesPerUserAndOutboundCallsCarryTheDecision() throws Exception {
    for (int n = 1; n <= 6; n++) {
      Reply reply = Reply.get(edge.base(), "/echo", userHeaders(n));

      assertThat(reply.status()).isEqualTo(200);
      assertSeesOwnDecision(reply, "", n);
      assertThat(reply.get("dispatch")).isEqualTo("REQUEST");
      assertThat(reply.headers().firstValue(DEBUG_HEADER)).hasValue(
          "checkout=" + checkout(n) + ";source=evaluated;reason=TARGETING_MATCH,"
              + "search=" + search(n) + ";source=evaluated;reason=TARGETING_MATCH");
    }
  }

  @Test
  void edgeIgnoresSpoofedFlagHeadersAndCountsThem() throws Exception {
    long untrusted = edgeCounters.dropped(DropReason.UNTRUSTED);

    Reply reply = Reply.get(edge.base(), "/echo?copy", "x-user-id", user(5),
        "x-flag-checkout", "v2", "x-flag-search", "on", "x-flag-bogus", "yes");

    assertThat(reply.status()).isEqualTo(200);
    assertSeesOwnDecision(reply, "", 5);
    assertThat(reply.get("copied")).as("naively copied inbound headers").isEqualTo(downstreamHeaders(5));
    assertThat(edgeCounters.dropped(DropReason.UNTRUSTED) - untrusted).isEqualTo(3);
  }

  /**
   * The filter of docs/servlet.md: a targeting key and {@code attributeFromHeader("plan", "x-plan")} on a
   * router that declares no cache-key attribute. A request carrying a plan must not pin its
   * decision on the user (or, without a user, on every anonymous request).
   */
  @Test
  void anAttributeHeaderCannotPoisonTheDecisionCache() throws Exception {
    String victim = user(9_001);
    Reply poisoned = Reply.get(edge.base(), "/echo", "x-user-id", victim, "x-plan", "pro");
    assertThat(poisoned.get("current")).isEqualTo("checkout=v1,search=on");

    Reply own = Reply.get(edge.base(), "/echo", "x-user-id", victim);
    assertThat(own.get("current")).as("the victim's own decision").isEqualTo("checkout=v1,search=off");
    assertThat(Reply.get(edge.base(), "/echo", "x-user-id", victim, "x-plan", "free").get("current"))
        .isEqualTo("checkout=v1,search=off");

    assertThat(Reply.get(edge.base(), "/echo", "x-plan", "pro").get("current")).isEqualTo("checkout=v1,search=on");
    assertThat(Reply.get(edge.base(), "/echo").get("current")).as("the shared anonymous decision")
        .isEqualTo("checkout=v1,search=off");
  }

  /** Every header a client may send to smuggle flags or a token, besides the user's own. */
  private static String[] hostileHeaders(String... more) {
    return append(new String[] {"x-flags", "checkout=v2,search=on",
        "baggage", "userId=alice, flag.checkout=v2,FLAG.search=on;p=1,other=1",
        FlagRouter.DEFAULT_OVERRIDE_HEADER, "fr2:4102444800:checkout=v2:::forged",
        "x-flag-bogus", "yes", "x-flag-checkout", "v2", "x-other", "kept"}, more);
  }

  @Test
  void theEdgeShowsNoFlagHeaderOfAnyCodecAndNoOverrideToken() throws Exception {
    Reply reply = Reply.get(edge.base(), "/view?copy", hostileHeaders("x-user-id", user(5)));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.get("names")).isEqualTo("baggage,x-flag-checkout,x-flag-search,x-other,x-user-id");
    assertThat(reply.get("x-flag-checkout")).isEqualTo("v1#1");
    assertThat(reply.get("x-flag-search")).isEqualTo("off#1");
    assertThat(reply.get("x-flags")).isEqualTo("null#0");
    assertThat(reply.get("x-flag-bogus")).isEqualTo("null#0");
    assertThat(reply.get("x-flagroute-override")).isEqualTo("null#0");
    assertThat(reply.get("baggage")).isEqualTo("userId=alice,other=1#1");
    assertThat(reply.get("x-other")).isEqualTo("kept#1");
    assertThat(reply.get("copied")).as("what naive forwarding sends on")
        .isEqualTo("baggage=userId=alice,other=1,x-flag-checkout=v1,x-flag-search=off,x-other=kept");
  }

  @Test
  void theRelayShowsTheSameViewWithTheRelayedVariants() throws Exception {
    Reply reply = Reply.get(relay.base(), "/view?copy", hostileHeaders("x-user-id", user(5)));

    assertThat(reply.get("names")).as("the flag it does not route is carried")
        .isEqualTo("baggage,x-flag-bogus,x-flag-checkout,x-flag-search,x-other,x-user-id");
    assertThat(reply.get("x-flag-checkout")).isEqualTo("v2#1");
    assertThat(reply.get("x-flags")).isEqualTo("null#0");
    assertThat(reply.get("x-flagroute-override")).isEqualTo("null#0");
    assertThat(reply.get("baggage")).isEqualTo("userId=alice,other=1#1");
    assertThat(reply.get("copied")).isEqualTo(
        "baggage=userId=alice,other=1,x-flag-bogus=yes,x-flag-checkout=v2,x-flag-search=off,x-other=kept");
  }

  @Test
  void trailersAreSanitisedToo() throws Exception {
    String[] trailers = {"x-flag-checkout", "v2", "x-flags", "checkout=v2", FlagRouter.DEFAULT_OVERRIDE_HEADER,
        "fr2:4102444800:checkout=v2:::forged", "baggage", "flag.search=on,k=v", "x-other", "kept"};
    assertThat(TRAILERS_SENT).containsExactly(trailers[0], trailers[2], trailers[4], trailers[6], trailers[8]);

    for (RunningApp app : List.of(edge, relay)) {
      Reply reply = Reply.postWithTrailers(app.base(), "/view", new String[] {"x-user-id", user(5)}, trailers);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.get("trailers")).isEqualTo("{baggage=k=v, x-other=kept}");
    }
  }

  @Test
  void relayKeepsStampedVariantsExactly() throws Exception {
    Reply reply = Reply.get(relay.base(), "/echo?copy", "x-user-id", user(3),
        "x-flag-checkout", "v2", "x-flag-search", "on", "x-flag-bogus", "yes");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.get("current")).isEqualTo("checkout=v2,search=on");
    assertThat(reply.get("headers")).isEqualTo("x-flag-bogus:yes;x-flag-checkout:v2;x-flag-search:on");
    assertThat(reply.get("downstream")).as("carried on unchanged")
        .isEqualTo("x-flag-bogus=yes,x-flag-checkout=v2,x-flag-search=on");
    assertThat(reply.get("copied")).isEqualTo("x-flag-bogus=yes,x-flag-checkout=v2,x-flag-search=on");
    assertThat(reply.get("mdc")).isEqualTo("checkout=v2,search=on");
    assertThat(reply.headers().firstValue(DEBUG_HEADER)).as("debug header is off by default").isEmpty();
  }

  @Test
  void relayCarriesUnknownVariantsAndFlagsItDoesNotRoute() throws Exception {
    long unknown = relayCounters.unknownVariants();

    Reply reply = Reply.get(relay.base(), "/echo?copy", "x-user-id", user(3), "X-Flag-Checkout", "v9",
        "x-flag-ratings-model", "neural");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.get("current")).isEqualTo("checkout=v9,search=off");
    assertThat(reply.get("downstream")).isEqualTo("x-flag-checkout=v9,x-flag-ratings-model=neural,x-flag-search=off");
    assertThat(relayCounters.unknownVariants() - unknown).isEqualTo(1);
  }

  @Test
  void relayDropsAndCountsBadInboundHeadersWithoutFailingTheRequest() throws Exception {
    Map<DropReason, String[]> cases = Map.of(
        DropReason.EMPTY_VALUE, new String[] {"x-flag-checkout", ""},
        DropReason.INVALID_VALUE, new String[] {"x-flag-checkout", "<v2>"},
        DropReason.VALUE_TOO_LONG, new String[] {"x-flag-checkout", "v".repeat(300)},
        DropReason.DUPLICATE, new String[] {"x-flag-checkout", "v2", "x-flag-checkout", "v1"},
        DropReason.INVALID_KEY, new String[] {"x-flag-checkout", "v1", "x-flag-no_pe", "on"});
    for (var entry : cases.entrySet()) {
      long before = relayCounters.dropped(entry.getKey());

      Reply reply = Reply.get(relay.base(), "/echo?copy", entry.getValue());

      assertThat(reply.status()).as("%s", entry.getKey()).isEqualTo(200);
      assertThat(reply.get("current")).as("%s", entry.getKey()).isEqualTo("checkout=v1,search=off");
      assertThat(reply.get("copied")).as("%s", entry.getKey()).isEqualTo("x-flag-checkout=v1,x-flag-search=off");
      assertThat(relayCounters.dropped(entry.getKey()) - before).as("%s", entry.getKey()).isEqualTo(1);
    }
  }

  @Test
  void asyncStartAndDispatchKeepTheDecision() throws Exception {
    for (int n = 1; n <= 6; n++) {
      long decisions = edgeCounters.decisions();

      Reply reply = Reply.get(edge.base(), "/async", userHeaders(n));

      assertThat(reply.status()).isEqualTo(200);
      assertSeesOwnDecision(reply, "start.", n);
      assertSeesOwnDecision(reply, "", n);
      assertThat(reply.get("dispatch")).isEqualTo("ASYNC");
      assertThat(edgeCounters.decisions() - decisions).as("decided once per request").isEqualTo(1);
    }
  }

  @Test
  void asyncListenerRunsWithTheDecision() throws Exception {
    for (int n = 1; n <= 3; n++) {
      Reply reply = Reply.get(edge.base(), "/timeout", userHeaders(n));

      assertThat(reply.status()).isEqualTo(200);
      assertSeesOwnDecision(reply, "", n);
    }
  }

  @Test
  void errorDispatchReusesTheDecision() throws Exception {
    for (int n = 1; n <= 3; n++) {
      long decisions = edgeCounters.decisions();

      Reply reply = Reply.get(edge.base(), "/boom", userHeaders(n));

      assertThat(reply.status()).as("the servlet's own failure").isEqualTo(500);
      assertThat(reply.get("dispatch")).isEqualTo("ERROR");
      assertSeesOwnDecision(reply, "", n);
      assertThat(edgeCounters.decisions() - decisions).as("decided once per request").isEqualTo(1);
    }
  }

  @Test
  void everyRequestsOutcomeIsReportedOnceWhenItEnds() throws Exception {
    Map<String, Boolean> failedByPath = new java.util.LinkedHashMap<>();
    failedByPath.put("/echo", false);
    failedByPath.put("/async", false);
    failedByPath.put("/timeout", false);
    failedByPath.put("/boom", true);
    for (var entry : failedByPath.entrySet()) {
      long completed = edgeCounters.completed();
      long failed = edgeCounters.failed();

      Reply.get(edge.base(), entry.getKey(), userHeaders(2));

      assertThat(eventually(() -> edgeCounters.completed() > completed)).as("%s reported", entry.getKey()).isTrue();
      assertThat(edgeCounters.failed() - failed).as("%s failed", entry.getKey()).isEqualTo(entry.getValue() ? 1 : 0);
      Reply.get(edge.base(), "/echo", userHeaders(2));
      assertThat(eventually(() -> edgeCounters.completed() >= completed + 2)).isTrue();
      assertThat(edgeCounters.completed() - completed).as("%s reported once", entry.getKey()).isEqualTo(2);
    }
  }

  /** Waits up to 60 s for {@code condition}: outcomes are reported after the response is sent. */
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

  /**
   * Whether this container runs {@link #concurrentUsersNeverSeeEachOthersFlags} at full size when
   * {@value Soak#PROPERTY} asks for it; the others always run it small, so the full soak runs once.
   */
  boolean soaksInFull() {
    return false;
  }

  @Test
  @Tag(Soak.TAG)
  void concurrentUsersNeverSeeEachOthersFlags() throws Exception {
    Soak soak = Soak.size(soaksInFull());
    int clients = soak.clients();
    int requestsPerClient = soak.requestsPerClient();
    long probeChecks = edge.app().probe().checks();
    AtomicInteger answered = new AtomicInteger();
    ConcurrentLinkedQueue<String> crossTalk = new ConcurrentLinkedQueue<>();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int firstUser = c * requestsPerClient + 1;
      tasks.add(() -> {
        for (int n = firstUser; n < firstUser + requestsPerClient; n++) {
          boolean async = n % 10 == 0;
          Reply reply = Reply.get(edge.base(), async ? "/async" : "/echo", userHeaders(n));
          String problem = crossTalk(reply, n, async);
          if (problem != null && crossTalk.size() < 20) {
            crossTalk.add(problem);
          }
          answered.incrementAndGet();
        }
        return null;
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Void>> results = pool.invokeAll(tasks, 10, TimeUnit.MINUTES); // a hang guard
      for (Future<Void> result : results) {
        assertThat(result.isCancelled()).as("a client ran out of time").isFalse();
        result.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(crossTalk).isEmpty();
    assertThat(answered.get()).isEqualTo(clients * requestsPerClient);
    assertThat(edge.app().probe().checks() - probeChecks).isGreaterThanOrEqualTo(2L * clients * requestsPerClient);
  }

  @Test
  void failingProviderStillAnswersWithDefaults() throws Exception {
    OpenFeatureAPI broken = OpenFeatureAPI.createIsolated();
    broken.setTransactionContextPropagator(new ThreadLocalTransactionContextPropagator());
    broken.setProviderAndWait(
        new ThrowingProvider(key -> new IllegalStateException("provider down (expected by the test)")));
    RoutingCounters counters = new RoutingCounters();
    FlagRouter router = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.EDGE)
        .client(broken.getClient()).listener(counters).build();
    RunningApp app = start(router.codec(), broken, context -> FlagRoutingFilter.builder(router)
        .targetingKey(TargetingKeySource.header("x-user-id"))
        .attributeFromHeader("plan", "x-plan")
        .attributes((request, evaluation) -> {
          if (request.getHeader("x-break") != null) {
            throw new IllegalStateException("attribute callback failed (expected by the test)");
          }
        })
        .openFeature(broken)
        .debugHeader(DEBUG_HEADER)
        .build()
        .register(context, "flagroute"));
    try {
      for (int n = 1; n <= 20; n++) {
        String[] headers = n % 4 == 0 ? append(userHeaders(n), "x-break", "yes") : userHeaders(n);

        String prefix = n % 2 == 0 ? "start." : "";

        Reply reply = Reply.get(app.base(), n % 2 == 0 ? "/async" : "/echo", headers);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.get(prefix + "current")).isEqualTo("checkout=v1,search=off");
        assertThat(reply.get(prefix + "downstream")).isEqualTo("x-flag-checkout=v1,x-flag-search=off");
        assertThat(reply.get(prefix + "headers")).isEqualTo("x-flag-checkout:v1;x-flag-search:off");
        assertThat(reply.get("current")).isEqualTo("checkout=v1,search=off");
        assertThat(reply.headers().firstValue(DEBUG_HEADER).orElseThrow())
            .contains("checkout=v1;source=default;reason=ERROR").contains("search=off;source=default;reason=ERROR");
      }
    } finally {
      broken.shutdown();
    }
  }

  @Test
  void aProviderOrCallbackThrowingAnErrorStillAnswersWithDefaults() throws Exception {
    OpenFeatureAPI broken = OpenFeatureAPI.createIsolated();
    broken.setTransactionContextPropagator(new ThreadLocalTransactionContextPropagator());
    broken.setProviderAndWait(new ThrowingProvider(key -> key.equals("checkout")
        ? new AssertionError("provider assertion (expected by the test)")
        : new NoClassDefFoundError("com/vendor/Rules (expected by the test)")));
    RoutingCounters counters = new RoutingCounters();
    FlagRouter router = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.EDGE)
        .client(broken.getClient()).listener(counters).build();
    RunningApp app = start(router.codec(), broken, context -> FlagRoutingFilter.builder(router)
        .targetingKey(request -> {
          if (request.getHeader("x-break-key") != null) {
            throw new NoClassDefFoundError("com/vendor/Session (expected by the test)");
          }
          return request.getHeader("x-user-id");
        })
        .attributes((request, evaluation) -> {
          if (request.getHeader("x-break-attributes") != null) {
            throw new AssertionError("attribute callback assertion (expected by the test)");
          }
        })
        .openFeature(broken)
        .build()
        .register(context, "flagroute"));
    try {
      for (String[] extra : List.of(new String[0], new String[] {"x-break-key", "yes"},
          new String[] {"x-break-attributes", "yes"})) {
        for (int n = 1; n <= 4; n++) {
          Reply reply = Reply.get(app.base(), n % 2 == 0 ? "/async" : "/echo", append(userHeaders(n), extra));

          assertThat(reply.status()).as("user %s with %s", n, List.of(extra)).isEqualTo(200);
          assertThat(reply.get("current")).isEqualTo("checkout=v1,search=off");
          assertThat(reply.get("headers")).isEqualTo("x-flag-checkout:v1;x-flag-search:off");
        }
      }
      assertThat(counters.evaluationFailures()).isPositive();
    } finally {
      broken.shutdown();
    }
  }

  @Test
  void initParametersConfigureTheFilterAsWebXmlWould() throws Exception {
    Path routes = Files.writeString(tempDir.resolve("routes.yaml"), TestFlags.ROUTES_YAML);
    OpenFeatureAPI global = OpenFeatureAPI.getInstance();
    global.setProviderAndWait(GLOBAL_DOMAIN, TestFlags.provider());
    try {
      RunningApp app = start(HeaderCodec.perFlag("x-fr-"), global, context -> {
        FilterRegistration.Dynamic filter = context.addFilter("configured", FlagRoutingFilter.class);
        filter.setInitParameter("routes", routes.toString());
        filter.setInitParameter("mode", "edge");
        filter.setInitParameter("report-foreign-headers", "true");
        filter.setInitParameter("openfeature-domain", GLOBAL_DOMAIN);
        filter.setInitParameter("header-prefix", "x-fr-");
        filter.setInitParameter("targeting-key", "cookie:uid");
        filter.setInitParameter("attribute-headers", "plan = x-plan");
        filter.setInitParameter("debug-header", DEBUG_HEADER);
        filter.setInitParameter("mdc-key", "");
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
      });
      for (int n = 1; n <= 6; n++) {
        List<String> headers = new ArrayList<>(List.of("cookie", "theme=dark; uid=" + user(n), "x-fr-checkout", "v1"));
        if (isPro(n)) {
          headers.addAll(List.of("x-plan", "pro"));
        }

        Reply reply = Reply.get(app.base(), n % 2 == 0 ? "/async?copy" : "/echo?copy", headers.toArray(String[]::new));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.get("current")).isEqualTo(variants(n));
        assertThat(reply.get("headers")).isEqualTo("x-fr-checkout:" + checkout(n) + ";x-fr-search:" + search(n));
        String stamped = "x-fr-checkout=" + checkout(n) + ",x-fr-search=" + search(n);
        assertThat(reply.get(n % 2 == 0 ? "start.downstream" : "downstream")).isEqualTo(stamped);
        assertThat(reply.get(n % 2 == 0 ? "start.copied" : "copied")).isEqualTo(stamped + (isPro(n) ? ",x-plan=pro" : ""));
        assertThat(reply.get("mdc")).as("mdc-key empty turns the MDC entry off").isEqualTo("null");
        assertThat(reply.headers().firstValue(DEBUG_HEADER).orElseThrow()).startsWith("checkout=" + checkout(n) + ";");
      }
      RoutingCounters counters = (RoutingCounters) app.app().servletContext()
          .getAttribute(FlagRoutingFilter.COUNTERS_ATTRIBUTE);
      assertThat(counters.decisions()).isEqualTo(6);
      assertThat(counters.dropped(DropReason.UNTRUSTED)).isEqualTo(6);
    } finally {
      global.setProviderAndWait(GLOBAL_DOMAIN, new NoOpProvider());
    }
  }

  /** Asserts that the fields under {@code prefix} show user {@code n}'s own decision everywhere. */
  private static void assertSeesOwnDecision(Reply reply, String prefix, int n) {
    assertThat(reply.get(prefix + "user")).isEqualTo(user(n));
    assertThat(reply.get(prefix + "current")).as("FlagContext.current()").isEqualTo(variants(n));
    assertThat(reply.get(prefix + "attribute")).as("request attribute").isEqualTo(variants(n));
    assertThat(reply.get(prefix + "headers")).as("request headers").isEqualTo(headerView(n));
    assertThat(reply.get(prefix + "inapp")).as("in-app OpenFeature evaluation")
        .isEqualTo(checkout(n) + "," + search(n));
    assertThat(reply.get(prefix + "mdc")).as("MDC").isEqualTo(variants(n));
    if (reply.body().containsKey(prefix + "downstream")) {
      assertThat(reply.get(prefix + "downstream")).as("outbound call").isEqualTo(downstreamHeaders(n));
    }
  }

  /** What is wrong with {@code reply} for user {@code n}, or {@code null}. */
  private static String crossTalk(Reply reply, int n, boolean async) {
    List<String> expected = new ArrayList<>(List.of("user=" + user(n), "current=" + variants(n),
        "attribute=" + variants(n), "headers=" + headerView(n), "inapp=" + checkout(n) + "," + search(n),
        "mdc=" + variants(n)));
    List<String> keys = new ArrayList<>(List.of("user", "current", "attribute", "headers", "inapp", "mdc"));
    if (async) {
      keys.addAll(keys.stream().map(key -> "start." + key).toList());
      expected.addAll(expected.stream().map(line -> "start." + line).toList());
      keys.add("start.downstream");
      expected.add("start.downstream=" + downstreamHeaders(n));
    } else {
      keys.add("downstream");
      expected.add("downstream=" + downstreamHeaders(n));
    }
    List<String> actual = keys.stream().map(key -> key + "=" + reply.get(key)).toList();
    if (reply.status() != 200 || !actual.equals(expected)) {
      return "user " + n + ": status " + reply.status() + " " + actual;
    }
    return null;
  }

  private static String headerView(int n) {
    return "x-flag-checkout:" + checkout(n) + ";x-flag-search:" + search(n);
  }

  private static String downstreamHeaders(int n) {
    return "x-flag-checkout=" + checkout(n) + ",x-flag-search=" + search(n);
  }

  private static String[] userHeaders(int n) {
    return isPro(n) ? new String[] {"x-user-id", user(n), "x-plan", "pro"} : new String[] {"x-user-id", user(n)};
  }

  private static String[] append(String[] headers, String... more) {
    List<String> all = new ArrayList<>(List.of(headers));
    Collections.addAll(all, more);
    return all.toArray(String[]::new);
  }

  /** Answers with the {@code x-} headers and baggage it received, sorted: {@code name=value,...}. */
  private static final class EchoFlagHeaders extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      List<String> seen = new ArrayList<>();
      for (String name : request.getHeaders().names()) {
        String lower = name.toLowerCase();
        if (lower.startsWith("x-") || lower.equals("baggage")) {
          seen.add(lower + "=" + String.join("|", request.getHeaders().values(name)));
        }
      }
      Collections.sort(seen);
      return new MockResponse.Builder().code(200).body(String.join(",", seen)).build();
    }
  }

  /** A provider whose every evaluation throws what {@code failure} gives for the flag key. */
  private static final class ThrowingProvider implements FeatureProvider {
    private final Function<String, Throwable> failure;

    ThrowingProvider(Function<String, Throwable> failure) {
      this.failure = failure;
    }

    private <T> T fail(String key) {
      Throwable thrown = failure.apply(key);
      if (thrown instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) thrown;
    }

    @Override
    public Metadata getMetadata() {
      return () -> "throwing";
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
      return fail(key);
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
      return fail(key);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
      return fail(key);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
      return fail(key);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
      return fail(key);
    }
  }
}
