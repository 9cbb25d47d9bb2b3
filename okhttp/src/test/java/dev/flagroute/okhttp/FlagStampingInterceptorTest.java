package dev.flagroute.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagExecutors;
import dev.flagroute.context.FlagScope;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.testing.StampedFlags;
import dev.flagroute.testing.WithRoutesFile;
import dev.flagroute.testing.WithVariant;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@WithRoutesFile("flag-routes.yaml")
@WithVariant(flag = "checkout", variant = "v2")
class FlagStampingInterceptorTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private OkHttpClient client;

  @AfterEach
  void stopClientAndPool() throws InterruptedException {
    if (client != null) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    pool.shutdownNow();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stampsTheCurrentContext(FlagRoutes routes, FlagContext flags) throws Exception {
    call(HeaderCodec.perFlag(), request().build());

    StampedFlags.ofMultimap(received().getHeaders().toMultimap(), routes)
        .assertStamped(flags)
        .assertVariants(Map.of("checkout", "v2", "search", "off"));
  }

  @Test
  @WithVariant(flag = "search", variant = "on")
  void stampsEveryFlagWithTheCombinedCodec(FlagRoutes routes) throws Exception {
    call(HeaderCodec.combined(), request().build());

    RecordedRequest received = received();
    assertThat(received.getHeaders().values("x-flags")).containsExactly("checkout=v2,search=on");
    StampedFlags.ofMultimap(received.getHeaders().toMultimap(), routes, HeaderCodec.combined())
        .assertVariants(Map.of("checkout", "v2", "search", "on"));
  }

  @Test
  void stampsInsideAnExecutorHop(FlagRoutes routes, FlagContext flags) throws Exception {
    ExecutorService hop = FlagExecutors.wrap(pool);
    client = client(HeaderCodec.perFlag());

    hop.submit(() -> execute(request().build())).get(60, TimeUnit.SECONDS);

    StampedFlags.ofMultimap(received().getHeaders().toMultimap(), routes).assertStamped(flags);
  }

  @Test
  void anUnwrappedExecutorHopCarriesNothing(FlagRoutes routes) throws Exception {
    client = client(HeaderCodec.perFlag());

    pool.submit(() -> execute(request().build())).get(60, TimeUnit.SECONDS);

    StampedFlags.ofMultimap(received().getHeaders().toMultimap(), routes).assertNone();
  }

  @Test
  void replacesStaleFlagHeadersSetByHand(FlagRoutes routes, FlagContext flags) throws Exception {
    call(HeaderCodec.perFlag(), request()
        .header("x-flag-checkout", "v9")
        .addHeader("X-Flag-Checkout", "v1")
        .header("X-Flag-Retired", "on")
        .header("x-request-id", "42")
        .build());

    RecordedRequest received = received();
    StampedFlags.ofMultimap(received.getHeaders().toMultimap(), routes).assertStamped(flags);
    assertThat(received.getHeaders().values("x-flag-checkout")).containsExactly("v2");
    assertThat(received.getHeaders().get("x-flag-retired")).isNull();
    assertThat(received.getHeaders().get("x-request-id")).isEqualTo("42");
  }

  @Test
  void sendsNothingOutsideAContext(FlagRoutes routes) throws Exception {
    try (FlagScope none = FlagContext.empty().makeCurrent()) {
      call(HeaderCodec.perFlag(), request().header("x-request-id", "42").build());
    }

    RecordedRequest received = received();
    StampedFlags.ofMultimap(received.getHeaders().toMultimap(), routes).assertNone();
    assertThat(received.getHeaders().get("x-request-id")).isEqualTo("42");
  }

  /** Override tokens are bearer tokens: they never leave through a stamping client, in a context or not. */
  @Test
  void neverSendsAnOverrideTokenInOrOutsideAContext(FlagRoutes routes) throws Exception {
    HeaderCodec codec = FlagRouter.builder(routes).mode(RoutingMode.RELAY).overrideHeader("x-tester-token").build()
        .codec();
    client = client(codec);
    Request request = request().header("X-Flagroute-Override", "fr2:1:checkout=v2:::sig")
        .header("x-tester-token", "fr2:1:checkout=v2:::sig").header("x-request-id", "42").build();

    execute(request);
    try (FlagScope none = FlagContext.empty().makeCurrent()) {
      execute(request);
    }

    for (int i = 0; i < 2; i++) {
      RecordedRequest received = received();
      assertThat(received.getHeaders().get(FlagRouter.DEFAULT_OVERRIDE_HEADER)).isNull();
      assertThat(received.getHeaders().get("x-tester-token")).isNull();
      assertThat(received.getHeaders().get("x-request-id")).isEqualTo("42");
    }
  }

  @Test
  void keepsOtherBaggageMembers(FlagRoutes routes, FlagContext flags) throws Exception {
    call(HeaderCodec.baggage(), request().header("baggage", "userId=alice, flag.checkout=v1;ttl=3,isProd=false")
        .build());

    RecordedRequest received = received();
    assertThat(received.getHeaders().values("baggage"))
        .containsExactly("userId=alice,isProd=false,flag.checkout=v2,flag.search=off");
    StampedFlags.ofMultimap(received.getHeaders().toMultimap(), routes, HeaderCodec.baggage()).assertStamped(flags);
  }

  @Test
  void asyncCallsCarryTheContextTheirRequestIsTaggedWith(FlagRoutes routes, FlagContext flags) throws Exception {
    client = client(HeaderCodec.perFlag());
    server.enqueue(ok());
    CompletableFuture<Integer> status = new CompletableFuture<>();

    client.newCall(request().tag(FlagContext.class, FlagContext.current()).build()).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          status.complete(response.code());
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        status.completeExceptionally(e);
      }
    });

    assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
    StampedFlags.ofMultimap(received().getHeaders().toMultimap(), routes).assertStamped(flags);
  }

  private void call(HeaderCodec codec, Request request) throws IOException {
    client = client(codec);
    execute(request);
  }

  private Void execute(Request request) throws IOException {
    server.enqueue(ok());
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    return null;
  }

  private RecordedRequest received() throws InterruptedException {
    RecordedRequest received = server.takeRequest(60, TimeUnit.SECONDS);
    assertThat(received).as("a request reached the server").isNotNull();
    return received;
  }

  private Request.Builder request() {
    return new Request.Builder().url(server.url("/reviews"));
  }

  private static OkHttpClient client(HeaderCodec codec) {
    return new OkHttpClient.Builder().addInterceptor(new FlagStampingInterceptor(codec))
        .callTimeout(Duration.ofSeconds(60)).readTimeout(Duration.ZERO).build();
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().code(200).body("ok").build();
  }
}
