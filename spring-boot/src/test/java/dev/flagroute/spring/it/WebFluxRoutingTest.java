package dev.flagroute.spring.it;

import static dev.flagroute.spring.it.FlagProbes.userAndForgedFlag;
import static dev.flagroute.spring.it.FlagProbes.variantOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.spring.TestFlags;
import dev.flagroute.spring.reactive.FlagReactorContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A WebFlux application on a random port, configured only by {@code flagroute.*} properties: the
 * edge decides {@code checkout} once per exchange, and every hop (a thread-local after a thread
 * switch, the Reactor context, an {@code @Async} method, a WebClient call) sees that decision.
 */
@SpringBootTest(classes = WebFluxRoutingTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=reactive",
        "spring.reactor.context-propagation=auto",
        "flagroute.mode=edge",
        "flagroute.report-foreign-headers=true",
        "flagroute.routes-file=classpath:flagroutes.yaml",
        "flagroute.targeting-key.source=header",
        "flagroute.targeting-key.name=x-user-id",
        "management.endpoints.web.exposure.include=flagroute"})
class WebFluxRoutingTest {
  private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

  @StartStop
  final MockWebServer downstream = new MockWebServer();

  @LocalServerPort
  int port;

  @Autowired
  MeterRegistry meters;

  WebClient client;

  @BeforeEach
  void setUp() {
    downstream.setDispatcher(new EchoDispatcher());
    client = WebClient.create("http://127.0.0.1:" + port);
  }

  @Test
  void edgeDecidesOnceAndEveryHopSeesTheDecision() throws InterruptedException {
    Map<String, Object> hops = hops("beta-7", "v1");

    assertThat(hops).containsEntry("threadLocal", "v2").containsEntry("reactorContext", "v2")
        .containsEntry("downstream", "v2");
    assertThat((String) hops.get("async")).startsWith("v2@task-");
    RecordedRequest stamped = downstream.takeRequest();
    assertThat(stamped.getHeaders().values("x-flag-checkout")).containsExactly("v2");
  }

  /**
   * A handler that copies its inbound {@code x-} and {@code baggage} headers onto a plain WebClient
   * (one without flagroute's stamping) forwards the edge's decision, never the client's spoofs or
   * override token.
   */
  @Test
  void aHandlerCopyingInboundHeadersForwardsTheDecisionNotTheSpoofs() throws InterruptedException {
    String forwarded = client.get().uri(b -> b.path("/copy").queryParam("downstream", downstream.url("/echo").toString())
            .build())
        .header("x-user-id", "user-1").header("x-flag-checkout", "v2").header("x-flags", "checkout=v2")
        .header("x-flag-bogus", "yes").header("x-flagroute-override", "fr2:4102444800:checkout=v2:::forged")
        .header("baggage", "userId=alice,flag.checkout=v2").header("x-other", "kept")
        .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(60));

    assertThat(forwarded).isEqualTo("v1");
    RecordedRequest copied = downstream.takeRequest();
    assertThat(copied.getHeaders().values("x-flag-checkout")).containsExactly("v1");
    assertThat(copied.getHeaders().values("baggage")).containsExactly("userId=alice");
    assertThat(copied.getHeaders().values("x-other")).containsExactly("kept");
    assertThat(copied.getHeaders().names()).doesNotContain("x-flags", "x-flag-bogus", "x-flagroute-override");
  }

  @Test
  void anonymousRequestsTakeTheDefault() {
    Map<String, Object> hops = hops(null, null);

    assertThat(hops).containsEntry("threadLocal", "v1").containsEntry("reactorContext", "v1")
        .containsEntry("downstream", "v1");
  }

  @Test
  void concurrentExchangesNeverSeeEachOthersFlags() {
    List<String> users = IntStream.range(0, 120).mapToObj(i -> (i % 3 == 0 ? "beta-" : "user-") + i).toList();

    List<Map.Entry<String, Map<String, Object>>> results = Flux.fromIterable(users)
        .flatMap(user -> call(user, null).map(hops -> Map.entry(user, hops)), 16)
        .collectList()
        .block(Duration.ofSeconds(60));

    assertThat(results).hasSize(users.size()).allSatisfy(result -> {
      String expected = TestFlags.expected(result.getKey());
      assertThat(result.getValue()).as(result.getKey()).containsEntry("threadLocal", expected)
          .containsEntry("reactorContext", expected).containsEntry("downstream", expected);
      assertThat((String) result.getValue().get("async")).startsWith(expected + "@");
    });
  }

  @Test
  void metricsCountDecisionsAndUntrustedHeaders() {
    double decisions = count("flagroute.decisions", "flag", "checkout", "variant", "v2", "source", "evaluated");
    double untrusted = count("flagroute.headers.dropped", "reason", "untrusted");

    hops("beta-1", "v1");

    assertThat(count("flagroute.decisions", "flag", "checkout", "variant", "v2", "source", "evaluated"))
        .isEqualTo(decisions + 1);
    assertThat(count("flagroute.headers.dropped", "reason", "untrusted")).isEqualTo(untrusted + 1);
  }

  @Test
  void everyExchangesOutcomeIsRecordedPerVariantWhenItCompletes() throws InterruptedException {
    long before = requests();

    hops("beta-1", null);

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (requests() == before && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(requests()).as("reported once the exchange completed").isEqualTo(before + 1);
  }

  private long requests() {
    var timer = meters.find("flagroute.requests")
        .tags("flag", "checkout", "variant", "v2", "version", "v2", "outcome", "success").timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void actuatorRequestsAreNotRouted() {
    double decisions = meters.find("flagroute.decisions").counters().stream().mapToDouble(c -> c.count()).sum();

    client.get().uri("/actuator/flagroute").header("x-user-id", "beta-1").retrieve().toBodilessEntity()
        .block(Duration.ofSeconds(60));

    assertThat(meters.find("flagroute.decisions").counters().stream().mapToDouble(c -> c.count()).sum())
        .isEqualTo(decisions);
  }

  @Test
  void actuatorEndpointShowsRoutesAndConfiguration() {
    Map<String, Object> endpoint = client.get().uri("/actuator/flagroute").retrieve().bodyToMono(JSON)
        .block(Duration.ofSeconds(60));

    assertThat(endpoint).containsEntry("mode", "edge").containsEntry("headers", List.of("x-flag-checkout"));
    assertThat(endpoint.get("routes")).asInstanceOf(InstanceOfAssertFactories.LIST)
        .singleElement().isEqualTo(Map.of("flag", "checkout", "service", "reviews", "defaultVariant", "v1",
            "variants", Map.of("v1", "v1", "v2", "v2")));
    assertThat(endpoint.get("configuration")).asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("targeting-key", "header:x-user-id")
        .containsEntry("routes", "class path resource [flagroutes.yaml]")
        .containsEntry("override.secret", "not set");
    assertThat(endpoint).doesNotContainKey("mesh");
  }

  private Map<String, Object> hops(String user, String forgedFlag) {
    return call(user, forgedFlag).block(Duration.ofSeconds(60));
  }

  private Mono<Map<String, Object>> call(String user, String forgedFlag) {
    return client.get().uri(b -> b.path("/hops").queryParam("downstream", downstream.url("/echo").toString()).build())
        .headers(userAndForgedFlag(user, forgedFlag))
        .retrieve().bodyToMono(JSON);
  }

  private double count(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableAsync
  @Import({Hops.class, FlagProbes.AsyncVariant.class})
  static class App {
    @Bean
    OpenFeatureAPI openFeatureApi() {
      return TestFlags.api();
    }
  }

  /** Reads the exchange's flags in four ways, each after a thread switch. */
  @RestController
  static class Hops {
    private final WebClient webClient;
    private final FlagProbes.AsyncVariant async;

    Hops(WebClient.Builder builder, FlagProbes.AsyncVariant async) {
      this.webClient = builder.build();
      this.async = async;
    }

    @GetMapping("/hops")
    Mono<Map<String, String>> hops(@RequestParam String downstream) {
      Mono<String> threadLocal = Mono.just(0).publishOn(Schedulers.boundedElastic())
          .map(i -> variantOf(FlagContext.current()));
      Mono<String> reactorContext = Mono.just(0).publishOn(Schedulers.parallel())
          .flatMap(i -> FlagReactorContext.current()).map(FlagProbes::variantOf);
      Mono<String> viaAsync = Mono.just(0).publishOn(Schedulers.parallel())
          .flatMap(i -> Mono.fromFuture(async.variant()));
      Mono<String> viaWebClient = Mono.just(0).publishOn(Schedulers.boundedElastic())
          .flatMap(i -> webClient.get().uri(downstream).retrieve().bodyToMono(String.class));
      return Mono.zip(threadLocal, reactorContext, viaAsync, viaWebClient).map(t -> Map.of(
          "threadLocal", t.getT1(), "reactorContext", t.getT2(), "async", t.getT3(), "downstream", t.getT4()));
    }

    /** Naive forwarding: copies the inbound {@code x-} and {@code baggage} headers downstream as seen. */
    @GetMapping("/copy")
    Mono<String> copy(@RequestParam String downstream, ServerHttpRequest request) {
      return WebClient.create().get().uri(downstream).headers(outbound -> request.getHeaders().forEach((name, values) -> {
        if (name.toLowerCase(Locale.ROOT).startsWith("x-") || name.equalsIgnoreCase("baggage")) {
          outbound.addAll(name, values);
        }
      })).retrieve().bodyToMono(String.class);
    }
  }

}
