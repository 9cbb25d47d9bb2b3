package dev.flagroute.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.spring.TestFlags;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Dark launches in a Spring MVC relay on a random port, configured by {@code flagroute.*}
 * properties only ({@code flagroute.shadow.header} renames the marker): a controller skips its
 * write when {@code FlagContext.current().isShadow()}, and its RestClient call carries the marker
 * from shadows only. Mirrored copies and users' requests interleave from many threads.
 */
@SpringBootTest(classes = ShadowMvcTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=servlet",
        "flagroute.mode=relay",
        "flagroute.routes-file=classpath:flagroutes.yaml",
        "flagroute.shadow.header=" + ShadowDispatcher.MARKER})
class ShadowMvcTest {
  private static final int THREADS = 16;
  private static final int REQUESTS = 30;

  @StartStop
  final MockWebServer downstream = new MockWebServer();

  @LocalServerPort
  int port;

  @Autowired
  Orders orders;

  @Test
  void aShadowsWriteIsSkippedAndOnlyItsCallsCarryTheMarker() throws Exception {
    downstream.setDispatcher(new ShadowDispatcher());
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).readTimeout(Duration.ZERO).build();
    String url = "http://127.0.0.1:" + port + "/orders?downstream=" + downstream.url("/audit");
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<String>> replies = new ArrayList<>();
      for (int i = 0; i < THREADS * REQUESTS; i++) {
        int kind = i % 4;
        replies.add(pool.submit(() -> {
          Request.Builder request = new Request.Builder().url(url).header("x-flag-checkout", "v2");
          if (kind == 1) {
            request.header("Host", "orders-shadow:8080");
          } else if (kind == 2) {
            request.header(ShadowDispatcher.MARKER, "1");
          } else if (kind == 3) {
            request.header("x-flagroute-shadow", "1"); // the default name, not this service's marker
          }
          try (Response response = client.newCall(request.build()).execute()) {
            return kind + " " + response.body().string();
          }
        }));
      }
      for (Future<String> reply : replies) {
        String body = reply.get(60, TimeUnit.SECONDS);
        boolean shadow = body.startsWith("1 ") || body.startsWith("2 ");
        assertThat(body).isEqualTo(body.charAt(0) + " shadow=" + shadow + " v2 downstream=" + (shadow ? "1" : "none"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(orders.writes).hasValue(THREADS * REQUESTS / 2);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Orders.class)
  static class App {
    @Bean
    OpenFeatureAPI openFeatureApi() {
      return TestFlags.api();
    }
  }

  /** Writes an order unless the request is a shadow, then calls a downstream service. */
  @RestController
  static class Orders {
    final AtomicInteger writes = new AtomicInteger();
    private final RestClient restClient;

    Orders(RestClient.Builder builder) {
      this.restClient = builder.build();
    }

    @GetMapping("/orders")
    String order(@RequestParam String downstream) {
      FlagContext flags = FlagContext.current();
      if (!flags.isShadow()) {
        writes.incrementAndGet();
      }
      return "shadow=" + flags.isShadow() + " " + flags.variant("checkout") + " downstream="
          + restClient.get().uri(downstream).retrieve().body(String.class);
    }
  }
}
