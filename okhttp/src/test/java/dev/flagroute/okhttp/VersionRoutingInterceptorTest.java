package dev.flagroute.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.direct.VersionAddresses;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.observe.VersionFallback;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each version of {@code reviews} is a real server on its own loopback port, pinned; {@code v3}
 * is named by the rule into the reserved {@code .invalid} domain, so real DNS finds no instance,
 * and {@code v4} is pinned to a closed port, so its connection is refused.
 */
class VersionRoutingInterceptorTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("new-reviews").service("reviews")
      .variant("off", "v1").variant("on", "v2").variant("gone", "v3").variant("down", "v4").defaultVariant("off")
      .build());

  @StartStop final MockWebServer v1 = new MockWebServer();
  @StartStop final MockWebServer v2 = new MockWebServer();
  @StartStop final MockWebServer other = new MockWebServer();

  private final List<VersionFallback> fallbacks = new CopyOnWriteArrayList<>();
  private VersionRouting routing;
  private OkHttpClient client;

  @BeforeEach
  void route() throws IOException {
    v1.setDispatcher(answer("v1"));
    v2.setDispatcher(answer("v2"));
    other.setDispatcher(answer("other"));
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    VersionAddresses addresses = VersionAddresses.naming("{service}-{version}.invalid")
        .pin("reviews", "v1", "127.0.0.1:" + v1.getPort())
        .pin("reviews", "v2", "127.0.0.1:" + v2.getPort())
        .pin("reviews", "v4", "127.0.0.1:" + closed);
    routing = VersionRouting.of(ROUTES, addresses, new RoutingListener() {
      @Override
      public void versionFellBack(VersionFallback fallback) {
        fallbacks.add(fallback);
      }
    });
    client = new OkHttpClient.Builder()
        .addInterceptor(new FlagStampingInterceptor(HeaderCodec.perFlag()))
        .addInterceptor(new VersionRoutingInterceptor(routing))
        .build();
  }

  @AfterEach
  void closeClient() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void callsGoToTheVersionTheFlagsRouteTo() throws IOException {
    assertThat(call("on")).isEqualTo("v2 x-flag-new-reviews=on");
    assertThat(call("off")).isEqualTo("v1 x-flag-new-reviews=off");
    assertThat(callWithout()).isEqualTo("v1 x-flag-new-reviews=null");
    assertThat(routing.fallbacks()).isZero();
  }

  @Test
  void callsToOtherHostsPassUntouched() throws IOException {
    Request request = new Request.Builder().url(other.url("/x")).tag(FlagContext.class, context("on")).build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).startsWith("other");
    }
  }

  @Test
  void aVersionWithoutInstanceFallsBackToStableCounted() throws IOException {
    assertThat(call("gone")).isEqualTo("v1 x-flag-new-reviews=gone");
    assertThat(call("down")).isEqualTo("v1 x-flag-new-reviews=down");

    assertThat(routing.fallbacks()).isEqualTo(2);
    assertThat(fallbacks).extracting(VersionFallback::version).containsExactly("v3", "v4");
    assertThat(fallbacks.get(0).cause()).contains("UnknownHostException");
    assertThat(fallbacks.get(1).cause()).contains("ConnectException");
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
        String answer = call(variants[cohort]);
        if (!answer.equals(expected[cohort] + " x-flag-new-reviews=" + variants[cohort])) {
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
    assertThat(v2.getRequestCount()).isEqualTo(100);
    assertThat(v1.getRequestCount()).isEqualTo(300);
  }

  private String call(String variant) throws IOException {
    try (FlagScope scope = context(variant).makeCurrent()) {
      return callWithout();
    }
  }

  private String callWithout() throws IOException {
    try (Response response = client.newCall(new Request.Builder().url("http://reviews:9080/reviews/1").build())
        .execute()) {
      return response.body().string();
    }
  }

  private static FlagContext context(String variant) {
    return FlagContext.builder(ROUTES).relayed("new-reviews", variant).build();
  }

  private static Dispatcher answer(String version) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().body(version + " x-flag-new-reviews=" + request.getHeaders()
            .get("x-flag-new-reviews")).build();
      }
    };
  }
}
