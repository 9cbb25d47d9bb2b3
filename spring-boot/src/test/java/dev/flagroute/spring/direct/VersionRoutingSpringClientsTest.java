package dev.flagroute.spring.direct;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.direct.VersionAddresses;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.spring.http.FlagStampingRequestInterceptor;
import dev.flagroute.spring.http.VersionRoutingRequestInterceptor;
import dev.flagroute.spring.reactive.FlagReactorContext;
import dev.flagroute.spring.reactive.FlagStampingExchangeFilter;
import dev.flagroute.spring.reactive.VersionRoutingExchangeFilter;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
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
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * RestClient and WebClient reach real per-version servers on loopback ports (pinned); {@code v3}
 * is named into the reserved {@code .invalid} domain (real DNS finds nothing) and {@code v4} is
 * pinned to a closed port (connection refused).
 */
class VersionRoutingSpringClientsTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("new-reviews").service("reviews")
      .variant("off", "v1").variant("on", "v2").variant("gone", "v3").variant("down", "v4").defaultVariant("off")
      .build());
  private static final String URL = "http://reviews:9080/reviews/1";

  @StartStop final MockWebServer v1 = new MockWebServer();
  @StartStop final MockWebServer v2 = new MockWebServer();

  private VersionRouting routing;
  private RestClient rest;
  private WebClient web;

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
    rest = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory())
        .requestInterceptor(new FlagStampingRequestInterceptor(HeaderCodec.perFlag()))
        .requestInterceptor(new VersionRoutingRequestInterceptor(routing))
        .build();
    web = new FlagStampingExchangeFilter(HeaderCodec.perFlag())
        .applyTo(WebClient.builder().clientConnector(new JdkClientHttpConnector()))
        .filter(new VersionRoutingExchangeFilter(routing))
        .build();
  }

  @Test
  void restClientCallsGoToTheFlagsVersionAndFallBackCounted() {
    assertThat(rest("on")).isEqualTo("v2 on");
    assertThat(rest("off")).isEqualTo("v1 off");
    assertThat(rest("gone")).isEqualTo("v1 gone");
    assertThat(rest("down")).isEqualTo("v1 down");
    assertThat(routing.fallbacks()).isEqualTo(2);
  }

  @Test
  void webClientRequestsGoToTheFlagsVersionAndFallBackCounted() {
    assertThat(web("on")).isEqualTo("v2 on");
    assertThat(web("off")).isEqualTo("v1 off");
    assertThat(web("gone")).isEqualTo("v1 gone");
    assertThat(web("down")).isEqualTo("v1 down");
    assertThat(routing.fallbacks()).isEqualTo(2);
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
      boolean reactive = i % 8 < 4;
      done.add(pool.submit(() -> {
        String answer = reactive ? web(variants[cohort]) : rest(variants[cohort]);
        if (!answer.equals(expected[cohort] + " " + variants[cohort])) {
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

  private String rest(String variant) {
    try (FlagScope scope = context(variant).makeCurrent()) {
      return rest.get().uri(URL).retrieve().body(String.class);
    }
  }

  private String web(String variant) {
    return web.get().uri(URL).retrieve().bodyToMono(String.class)
        .contextWrite(FlagReactorContext.with(context(variant)))
        .block(Duration.ofSeconds(60));
  }

  private static FlagContext context(String variant) {
    return FlagContext.builder(ROUTES).relayed("new-reviews", variant).build();
  }

  private static Dispatcher answer(String version) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().body(version + " " + request.getHeaders().get("x-flag-new-reviews")).build();
      }
    };
  }
}
