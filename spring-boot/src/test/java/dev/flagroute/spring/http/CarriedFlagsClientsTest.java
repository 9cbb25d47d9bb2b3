package dev.flagroute.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.MeshHosts;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.spring.feign.FlagStampingFeignInterceptor;
import dev.flagroute.spring.reactive.FlagReactorContext;
import dev.flagroute.spring.reactive.FlagStampingExchangeFilter;
import feign.Feign;
import feign.Headers;
import feign.RequestLine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A relay whose routes define none of the flags it receives (a team that adopted flagroute to pass
 * flags on before routing any of its own) forwards them all, unchanged, through Spring's clients and
 * Feign, each a real client sending to a real server; a host outside the mesh still gets none.
 */
class CarriedFlagsClientsTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private final RoutingCounters counters = new RoutingCounters();

  enum Client { REST_CLIENT, WEB_CLIENT, WEB_CLIENT_REACTOR_CONTEXT, FEIGN }

  /** Feign's view of the server, with a stale flag header set by hand. */
  interface Reviews {
    @RequestLine("GET /reviews")
    @Headers({"x-flag-payment: v9", "x-request-id: 42"})
    String reviews();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aRelayWithoutRoutesForwardsWhatItCarries(Client client) throws Exception {
    FlagRouter relay = relay(MeshHosts.kubernetes());

    call(client, relay);

    RecordedRequest received = received();
    assertThat(received.getHeaders().values("x-flag-payment")).containsExactly("v2");
    assertThat(received.getHeaders().values("x-flag-ratings-model")).containsExactly("neural");
    assertThat(received.getHeaders().get("x-request-id")).isEqualTo("42");
    assertThat(counters.egressBlocked()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aHostOutsideTheMeshGetsNoCarriedFlags(Client client) throws Exception {
    FlagRouter relay = relay(MeshHosts.of("*.svc"));

    call(client, relay);

    RecordedRequest received = received();
    assertThat(received.getHeaders().get("x-flag-payment")).isNull();
    assertThat(received.getHeaders().get("x-flag-ratings-model")).isNull();
    assertThat(received.getHeaders().get("x-request-id")).isEqualTo("42");
    assertThat(counters.egressBlocked()).isEqualTo(1);
  }

  private FlagRouter relay(MeshHosts hosts) {
    return FlagRouter.builder(FlagRoutes.empty()).mode(RoutingMode.RELAY).meshHosts(hosts).listener(counters).build();
  }

  /** Calls the server, with a stale flag header set by hand, from the relay's carried-only context. */
  private void call(Client client, FlagRouter relay) {
    FlagContext carrying = relay.route(Map.of("x-flag-payment", List.of("v2"),
        "x-flag-ratings-model", List.of("neural")), HeaderGetter.forMultiMap());
    assertThat(carrying.isEmpty()).as("nothing routed").isTrue();
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    String base = "http://localhost:" + server.getPort();
    WebClient webClient = new FlagStampingExchangeFilter(relay.codec()).applyTo(WebClient.builder()).build();
    if (client == Client.WEB_CLIENT_REACTOR_CONTEXT) {
      webClient.get().uri(base + "/reviews").header("x-flag-payment", "v9").header("x-request-id", "42")
          .retrieve().toBodilessEntity().contextWrite(FlagReactorContext.with(carrying)).block(Duration.ofSeconds(60));
      return;
    }
    try (FlagScope ignored = carrying.makeCurrent()) {
      switch (client) {
        case REST_CLIENT -> RestClient.builder().requestInterceptor(new FlagStampingRequestInterceptor(relay.codec()))
            .build().get().uri(base + "/reviews").header("x-flag-payment", "v9").header("x-request-id", "42")
            .retrieve().toBodilessEntity();
        case WEB_CLIENT -> webClient.get().uri(base + "/reviews").header("x-flag-payment", "v9")
            .header("x-request-id", "42").retrieve().toBodilessEntity().block(Duration.ofSeconds(60));
        case FEIGN -> Feign.builder().requestInterceptor(new FlagStampingFeignInterceptor(relay.codec()))
            .target(Reviews.class, base).reviews();
        default -> throw new IllegalStateException(client.name());
      }
    }
  }

  private RecordedRequest received() throws InterruptedException {
    RecordedRequest received = server.takeRequest(60, TimeUnit.SECONDS);
    assertThat(received).as("a request reached the server").isNotNull();
    return received;
  }
}
