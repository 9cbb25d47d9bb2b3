package dev.flagroute.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.spring.TestFlags;
import dev.flagroute.spring.reactive.FlagReactorContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
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
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Dark launches in a Spring WebFlux relay on a random port: a handler reads the exchange's flags
 * with {@code FlagReactorContext.current()} and skips its write in a shadow; its WebClient call
 * carries the marker from shadows only. Mirrored copies and users' requests interleave, many at once.
 */
@SpringBootTest(classes = ShadowWebFluxTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=reactive",
        "flagroute.mode=relay",
        "flagroute.routes-file=classpath:flagroutes.yaml",
        "flagroute.shadow.header=" + ShadowDispatcher.MARKER})
class ShadowWebFluxTest {
  private static final int REQUESTS = 400;

  @StartStop
  final MockWebServer downstream = new MockWebServer();

  @LocalServerPort
  int port;

  @Autowired
  Orders orders;

  @Test
  void aShadowsWriteIsSkippedAndOnlyItsCallsCarryTheMarker() {
    downstream.setDispatcher(new ShadowDispatcher());
    WebClient client = WebClient.create("http://127.0.0.1:" + port);
    String downstreamUrl = downstream.url("/audit").toString();
    Flux.range(0, REQUESTS).flatMap(i -> {
      int kind = i % 3;
      return client.get().uri(b -> b.path("/orders").queryParam("downstream", downstreamUrl).build())
          .headers(h -> {
            h.set("x-flag-checkout", "v2");
            if (kind == 1) {
              h.set("Host", "orders-shadow:8080");
            } else if (kind == 2) {
              h.set(ShadowDispatcher.MARKER, "1");
            }
          })
          .retrieve().bodyToMono(String.class).map(body -> kind + " " + body);
    }, 32).doOnNext(body -> {
      boolean shadow = !body.startsWith("0 ");
      assertThat(body).isEqualTo(body.charAt(0) + " shadow=" + shadow + " v2 downstream=" + (shadow ? "1" : "none"));
    }).then().block(Duration.ofSeconds(60));

    assertThat(orders.writes).hasValue((REQUESTS + 2) / 3);
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
    private final WebClient webClient;

    Orders(WebClient.Builder builder) {
      this.webClient = builder.build();
    }

    @GetMapping("/orders")
    Mono<String> order(@RequestParam String downstream) {
      return FlagReactorContext.current().flatMap(flags -> {
        if (!flags.isShadow()) {
          writes.incrementAndGet();
        }
        return webClient.get().uri(downstream).retrieve().bodyToMono(String.class)
            .map(reply -> "shadow=" + flags.isShadow() + " " + flags.variant("checkout") + " downstream=" + reply);
      });
    }

  }
}
