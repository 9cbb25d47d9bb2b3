package dev.flagroute.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.direct.VersionAddresses;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Versions {@code v1} and {@code v2} are real servers on loopback ports, pinned; {@code v3} is
 * named into the reserved {@code .invalid} domain (real DNS finds nothing) and {@code v4} is pinned
 * to a closed port (connection refused).
 */
class VersionRoutingHttpClientTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("new-reviews").service("reviews")
      .variant("off", "v1").variant("on", "v2").variant("gone", "v3").variant("down", "v4").defaultVariant("off")
      .build());

  @StartStop final MockWebServer v1 = new MockWebServer();
  @StartStop final MockWebServer v2 = new MockWebServer();

  private VersionRouting routing;
  private HttpClient client;

  @BeforeEach
  void route() throws IOException {
    v1.setDispatcher(answer("v1"));
    v2.setDispatcher(answer("v2"));
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    routing = VersionRouting.of(ROUTES, VersionAddresses.naming("{service}-{version}.invalid")
        .pin("reviews", "v1", "127.0.0.1:" + v1.getPort())
        .pin("reviews", "v2", "127.0.0.1:" + v2.getPort())
        .pin("reviews", "v4", "127.0.0.1:" + closed));
    client = VersionRoutingHttpClient.wrap(HttpClient.newHttpClient(), routing);
  }

  @Test
  void requestsGoToTheVersionTheFlagsRouteTo() throws Exception {
    assertThat(send("on")).isEqualTo("v2 /reviews/1?a=b%20c on");
    assertThat(send("off")).isEqualTo("v1 /reviews/1?a=b%20c off");
    assertThat(client.send(request(), BodyHandlers.ofString()).body()).isEqualTo("v1 /reviews/1?a=b%20c null");
    assertThat(routing.fallbacks()).isZero();
  }

  @Test
  void aVersionWithoutInstanceFallsBackToStableCounted() throws Exception {
    assertThat(send("gone")).startsWith("v1 ");
    assertThat(send("down")).startsWith("v1 ");
    try (FlagScope scope = context("down").makeCurrent()) {
      assertThat(client.sendAsync(stamped(), BodyHandlers.ofString()).get(60, TimeUnit.SECONDS).body())
          .isEqualTo("v1 /reviews/1?a=b%20c down");
    }
    assertThat(routing.fallbacks()).isEqualTo(3);
  }

  @Test
  void otherFailuresAreTheCallersAndTheStableVersionHasNoFallback() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    HttpClient deadStable = VersionRoutingHttpClient.wrap(HttpClient.newHttpClient(), VersionRouting.of(ROUTES,
        VersionAddresses.defaults().pin("reviews", "v1", "127.0.0.1:" + closed)));

    assertThatThrownBy(() -> deadStable.send(request(), BodyHandlers.ofString())).isInstanceOf(IOException.class);
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
        if (!send(variants[cohort]).equals(expected[cohort] + " /reviews/1?a=b%20c " + variants[cohort])) {
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
  }

  private String send(String variant) throws IOException, InterruptedException {
    try (FlagScope scope = context(variant).makeCurrent()) {
      return client.send(stamped(), BodyHandlers.ofString()).body();
    }
  }

  private static HttpRequest stamped() {
    return FlagHttpRequests.stamp(request(), HeaderCodec.perFlag());
  }

  private static HttpRequest request() {
    return HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/1?a=b%20c")).build();
  }

  private static FlagContext context(String variant) {
    return FlagContext.builder(ROUTES).relayed("new-reviews", variant).build();
  }

  private static Dispatcher answer(String version) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().body(version + " " + request.getTarget() + " "
            + request.getHeaders().get("x-flag-new-reviews")).build();
      }
    };
  }
}
