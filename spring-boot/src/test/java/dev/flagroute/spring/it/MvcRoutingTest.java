package dev.flagroute.spring.it;

import static dev.flagroute.spring.it.FlagProbes.userAndForgedFlag;
import static dev.flagroute.spring.it.FlagProbes.variantOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.spring.TestFlags;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A Spring MVC application on a random port, configured only by {@code flagroute.*} properties:
 * the servlet filter decides {@code checkout} once per request, and RestClient, RestTemplate,
 * WebClient, an {@code @Async} method and a Reactor pipeline that switches threads all carry it.
 */
@SpringBootTest(classes = MvcRoutingTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=servlet",
        "spring.reactor.context-propagation=auto",
        "flagroute.mode=edge",
        "flagroute.routes-file=classpath:flagroutes.yaml",
        "flagroute.targeting-key.source=header",
        "flagroute.targeting-key.name=x-user-id",
        "flagroute.override.secret=" + MvcRoutingTest.OVERRIDE_SECRET,
        "management.endpoint.health.show-details=always"})
class MvcRoutingTest {
  static final String OVERRIDE_SECRET = "a-test-override-secret-of-32-bytes-or-more";
  private static final ParameterizedTypeReference<Map<String, String>> JSON = new ParameterizedTypeReference<>() {};
  private static final ParameterizedTypeReference<Map<String, Object>> OBJECT_JSON =
      new ParameterizedTypeReference<>() {};

  @StartStop
  final MockWebServer downstream = new MockWebServer();

  @LocalServerPort
  int port;

  @Autowired
  MeterRegistry meters;

  RestClient client;

  @BeforeEach
  void setUp() {
    downstream.setDispatcher(new EchoDispatcher());
    client = RestClient.create("http://127.0.0.1:" + port);
  }

  @Test
  void edgeDecidesOnceAndEveryClientStampsIt() throws InterruptedException {
    Map<String, String> hops = hops("beta-3", "v1");

    assertThat(hops).containsEntry("request", "v2").containsEntry("restClient", "v2")
        .containsEntry("restTemplate", "v2").containsEntry("webClient", "v2").containsEntry("reactor", "v2");
    assertThat(hops.get("async")).startsWith("v2@task-");
    for (int i = 0; i < 3; i++) {
      RecordedRequest stamped = downstream.takeRequest();
      assertThat(stamped.getHeaders().values("x-flag-checkout")).as(stamped.getTarget()).containsExactly("v2");
    }
  }

  @Test
  void anonymousRequestsTakeTheDefault() {
    assertThat(hops(null, "v2")).containsEntry("request", "v1").containsEntry("restClient", "v1")
        .containsEntry("webClient", "v1").containsEntry("reactor", "v1");
  }

  @Test
  void concurrentRequestsNeverSeeEachOthersFlags() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<String> users = new ArrayList<>();
      List<Future<Map<String, String>>> calls = new ArrayList<>();
      for (int i = 0; i < 96; i++) {
        String user = (i % 3 == 0 ? "beta-" : "user-") + i;
        users.add(user);
        calls.add(callers.submit(() -> hops(user, null)));
      }
      for (int i = 0; i < users.size(); i++) {
        String expected = TestFlags.expected(users.get(i));
        Map<String, String> hops = calls.get(i).get(60, TimeUnit.SECONDS);
        assertThat(hops).as(users.get(i)).containsEntry("request", expected).containsEntry("restClient", expected)
            .containsEntry("restTemplate", expected).containsEntry("webClient", expected)
            .containsEntry("reactor", expected);
        assertThat(hops.get("async")).startsWith(expected + "@");
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void metricsCountDecisions() {
    double before = count("flag", "checkout", "variant", "v1", "source", "evaluated");

    hops("user-1", null);

    assertThat(count("flag", "checkout", "variant", "v1", "source", "evaluated")).isEqualTo(before + 1);
  }

  @Test
  void healthShowsTheRoutesAndTheProviderInTheDefaultGroup() {
    Map<String, Object> health = client.get().uri("/actuator/health").retrieve().body(OBJECT_JSON);

    assertThat(health).containsEntry("status", "UP");
    assertThat(health.get("components")).asInstanceOf(InstanceOfAssertFactories.MAP).extractingByKey("flagroute")
        .isEqualTo(Map.of("status", "UP", "details", Map.of("mode", "edge", "routes", List.of("checkout"),
            "providerState", "READY")));
  }

  @Test
  void actuatorRequestsAreNotRouted() {
    double decisions = meters.find("flagroute.decisions").counters().stream().mapToDouble(c -> c.count()).sum();

    client.get().uri("/actuator/health").retrieve().toBodilessEntity();
    client.get().uri("/actuator/health/liveness").header("x-user-id", "beta-1").retrieve().toBodilessEntity();

    assertThat(meters.find("flagroute.decisions").counters().stream().mapToDouble(c -> c.count()).sum())
        .isEqualTo(decisions);
  }

  @Test
  void aSignedOverrideTokenForcesTheVariantAndAForgedOneIsRejected() {
    String token = OverrideTokens.builder(OVERRIDE_SECRET).build().mint(Map.of("checkout", "v2"), Duration.ofMinutes(5));
    String forged = OverrideTokens.builder(OVERRIDE_SECRET + "-other").build().mint(Map.of("checkout", "v2"),
        Duration.ofMinutes(5));
    double accepted = overrides("outcome", "accepted");
    double rejected = overrides("outcome", "rejected", "reason", "forged");

    Map<String, String> forced = client.get().uri(b -> b.path("/hops").queryParam("downstream",
        downstream.url("/echo").toString()).build()).header("x-flagroute-override", token).retrieve().body(JSON);
    Map<String, String> notForced = client.get().uri(b -> b.path("/hops").queryParam("downstream",
        downstream.url("/echo").toString()).build()).header("x-flagroute-override", forged).retrieve().body(JSON);

    assertThat(forced).containsEntry("request", "v2").containsEntry("restClient", "v2").containsEntry("webClient", "v2");
    assertThat(notForced).containsEntry("request", "v1").containsEntry("restClient", "v1");
    assertThat(meters.get("flagroute.overrides").tags("outcome", "accepted").counter().count()).isEqualTo(accepted + 1);
    assertThat(meters.get("flagroute.overrides").tags("outcome", "rejected", "reason", "forged").counter().count())
        .isEqualTo(rejected + 1);
  }

  private Map<String, String> hops(String user, String forgedFlag) {
    return client.get()
        .uri(b -> b.path("/hops").queryParam("downstream", downstream.url("/echo").toString()).build())
        .headers(userAndForgedFlag(user, forgedFlag))
        .retrieve().body(JSON);
  }

  private double overrides(String... tags) {
    var counter = meters.find("flagroute.overrides").tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  private double count(String... tags) {
    var counter = meters.find("flagroute.decisions").tags(tags).counter();
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

  /** Reads the request's flags on the request thread, and through every client and hop. */
  @RestController
  static class Hops {
    private final RestClient restClient;
    private final RestTemplate restTemplate;
    private final WebClient webClient;
    private final FlagProbes.AsyncVariant async;

    Hops(RestClient.Builder restClient, RestTemplateBuilder restTemplate, WebClient.Builder webClient,
        FlagProbes.AsyncVariant async) {
      this.restClient = restClient.build();
      this.restTemplate = restTemplate.build();
      this.webClient = webClient.build();
      this.async = async;
    }

    @GetMapping("/hops")
    Map<String, String> hops(@RequestParam String downstream) throws Exception {
      return Map.of(
          "request", variantOf(FlagContext.current()),
          "restClient", restClient.get().uri(downstream + "?client=rest-client").retrieve().body(String.class),
          "restTemplate", restTemplate.getForObject(downstream + "?client=rest-template", String.class),
          "webClient", webClient.get().uri(downstream + "?client=web-client").retrieve().bodyToMono(String.class)
              .subscribeOn(Schedulers.boundedElastic()).block(Duration.ofSeconds(60)),
          "reactor", Mono.just(0).publishOn(Schedulers.parallel()).map(i -> variantOf(FlagContext.current()))
              .block(Duration.ofSeconds(60)),
          "async", async.variant().get(60, TimeUnit.SECONDS));
    }
  }

}
