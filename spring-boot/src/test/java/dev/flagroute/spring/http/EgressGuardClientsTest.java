package dev.flagroute.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.MeshHosts;
import dev.flagroute.context.FlagScope;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.spring.TestRoutes;
import dev.flagroute.spring.feign.FlagStampingFeignInterceptor;
import dev.flagroute.spring.reactive.FlagStampingExchangeFilter;
import feign.Feign;
import feign.Headers;
import feign.RequestLine;
import java.time.Duration;
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
 * The egress guard on Spring's clients and Feign, each a real client sending to a real server: a
 * host outside the mesh gets no flags, tokens or markers, not even those the application set, and
 * each such call is counted; a mesh host is stamped.
 */
class EgressGuardClientsTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private final RoutingCounters counters = new RoutingCounters();

  enum Client { REST_CLIENT, WEB_CLIENT, FEIGN }

  /** Feign's view of the server. */
  interface Reviews {
    @RequestLine("GET /reviews")
    @Headers({"x-flag-checkout: v1", "x-flagroute-override: fr2:1:checkout=v2:::sig", "x-flagroute-shadow: 1",
        "baggage: userId=alice,flag.checkout=v1", "x-request-id: 42"})
    String reviews();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aHostOutsideTheMeshGetsNothing(Client client) throws Exception {
    HeaderCodec codec = codec(MeshHosts.of("*.svc", "*.svc.cluster.local"));

    try (FlagScope ignored = TestRoutes.checkout("v2").makeCurrent()) {
      call(client, codec);
    }

    RecordedRequest received = received();
    assertThat(received.getHeaders().get("x-flag-checkout")).isNull();
    assertThat(received.getHeaders().get("x-flagroute-override")).isNull();
    assertThat(received.getHeaders().get("x-flagroute-shadow")).isNull();
    assertThat(received.getHeaders().values("baggage")).containsExactly("userId=alice");
    assertThat(received.getHeaders().get("x-request-id")).isEqualTo("42");
    assertThat(counters.egressBlocked()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void outsideAContextTheApplicationsOwnFlagsAreTakenOutToo(Client client) throws Exception {
    call(client, codec(MeshHosts.of("*.svc")));

    RecordedRequest received = received();
    assertThat(received.getHeaders().get("x-flag-checkout")).isNull();
    assertThat(received.getHeaders().get("x-flagroute-override")).isNull();
    assertThat(received.getHeaders().values("baggage")).containsExactly("userId=alice");
    assertThat(counters.egressBlocked()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aMeshHostIsStamped(Client client) throws Exception {
    HeaderCodec codec = codec(MeshHosts.kubernetes());

    try (FlagScope ignored = TestRoutes.checkout("v2").makeCurrent()) {
      call(client, codec);
    }

    RecordedRequest received = received();
    assertThat(received.getHeaders().values("x-flag-checkout")).containsExactly("v2");
    assertThat(received.getHeaders().get("x-flagroute-override")).isNull();
    assertThat(counters.egressBlocked()).isZero();
  }

  private HeaderCodec codec(MeshHosts hosts) {
    return FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.RELAY).meshHosts(hosts).listener(counters).build()
        .codec();
  }

  private void call(Client client, HeaderCodec codec) {
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    String base = "http://localhost:" + server.getPort();
    switch (client) {
      case REST_CLIENT -> RestClient.builder().requestInterceptor(new FlagStampingRequestInterceptor(codec)).build()
          .get().uri(base + "/reviews").headers(headers -> {
            headers.add("x-flag-checkout", "v1");
            headers.add("x-flagroute-override", "fr2:1:checkout=v2:::sig");
            headers.add("x-flagroute-shadow", "1");
            headers.add("baggage", "userId=alice,flag.checkout=v1");
            headers.add("x-request-id", "42");
          }).retrieve().toBodilessEntity();
      case WEB_CLIENT -> new FlagStampingExchangeFilter(codec).applyTo(WebClient.builder()).build()
          .get().uri(base + "/reviews").headers(headers -> {
            headers.add("x-flag-checkout", "v1");
            headers.add("x-flagroute-override", "fr2:1:checkout=v2:::sig");
            headers.add("x-flagroute-shadow", "1");
            headers.add("baggage", "userId=alice,flag.checkout=v1");
            headers.add("x-request-id", "42");
          }).retrieve().toBodilessEntity().block(Duration.ofSeconds(60));
      case FEIGN -> Feign.builder().requestInterceptor(new FlagStampingFeignInterceptor(codec))
          .target(Reviews.class, base).reviews();
    }
  }

  private RecordedRequest received() throws InterruptedException {
    RecordedRequest received = server.takeRequest(60, TimeUnit.SECONDS);
    assertThat(received).as("a request reached the server").isNotNull();
    return received;
  }
}
