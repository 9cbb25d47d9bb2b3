package dev.flagroute.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagExecutors;
import dev.flagroute.context.FlagScope;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.testing.StampedFlags;
import dev.flagroute.testing.WithRoutesFile;
import dev.flagroute.testing.WithVariant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

@WithRoutesFile("flag-routes.yaml")
@WithVariant(flag = "search", variant = "on")
class FlagHttpRequestsTest {
  private static final URI REVIEWS = URI.create("http://reviews.local/reviews");

  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void stampsTheCurrentContext(FlagRoutes routes, FlagContext flags) {
    HttpRequest stamped = FlagHttpRequests.stamp(HttpRequest.newBuilder(REVIEWS).build(), HeaderCodec.perFlag());

    StampedFlags.ofMultimap(stamped.headers().map(), routes).assertStamped(flags)
        .assertVariants(Map.of("checkout", "v1", "search", "on"));
  }

  @Test
  void replacesStaleFlagHeadersAndKeepsTheRest(FlagRoutes routes, FlagContext flags) {
    HttpRequest request = HttpRequest.newBuilder(REVIEWS)
        .header("X-Flag-Search", "off")
        .header("x-flag-search", "off")
        .header("x-flag-retired", "on")
        .header("x-request-id", "42")
        .POST(HttpRequest.BodyPublishers.ofString("body"))
        .timeout(Duration.ofSeconds(5))
        .build();

    HttpRequest stamped = FlagHttpRequests.stamp(request, HeaderCodec.perFlag());

    StampedFlags.ofMultimap(stamped.headers().map(), routes).assertStamped(flags);
    assertThat(stamped.headers().allValues("x-flag-search")).containsExactly("on");
    assertThat(stamped.headers().firstValue("x-request-id")).hasValue("42");
    assertThat(stamped.method()).isEqualTo("POST");
    assertThat(stamped.timeout()).isEqualTo(request.timeout());
    assertThat(stamped.bodyPublisher()).isEqualTo(request.bodyPublisher());
  }

  @Test
  void keepsOtherBaggageMembers(FlagRoutes routes, FlagContext flags) {
    HttpRequest request = HttpRequest.newBuilder(REVIEWS).header("baggage", "userId=alice,flag.search=off").build();

    HttpRequest stamped = FlagHttpRequests.stamp(request, HeaderCodec.baggage());

    assertThat(stamped.headers().allValues("baggage"))
        .containsExactly("userId=alice,flag.checkout=v1,flag.search=on");
    StampedFlags.ofMultimap(stamped.headers().map(), routes, HeaderCodec.baggage()).assertStamped(flags);
  }

  @Test
  void leavesRequestsOutsideAContextUntouched() {
    HttpRequest request = HttpRequest.newBuilder(REVIEWS).header("x-flag-search", "off").build();

    try (FlagScope none = FlagContext.empty().makeCurrent()) {
      assertThat(FlagHttpRequests.stamp(request, HeaderCodec.perFlag())).isSameAs(request);
    }
  }

  /** Override tokens are bearer tokens: they never leave through a stamped request, in a context or not. */
  @Test
  void neverSendsAnOverrideTokenInOrOutsideAContext(FlagRoutes routes) {
    HeaderCodec codec = FlagRouter.builder(routes).mode(RoutingMode.RELAY).overrideHeader("x-tester-token").build()
        .codec();
    HttpRequest request = HttpRequest.newBuilder(REVIEWS).header("X-Flagroute-Override", "fr2:1:checkout=v2:::sig")
        .header("x-tester-token", "fr2:1:checkout=v2:::sig").header("x-request-id", "42").build();

    HttpRequest inContext = FlagHttpRequests.stamp(request, codec);
    HttpRequest outside;
    try (FlagScope none = FlagContext.empty().makeCurrent()) {
      outside = FlagHttpRequests.stamp(request, codec);
    }

    for (HttpRequest stamped : List.of(inContext, outside)) {
      assertThat(stamped.headers().firstValue(FlagRouter.DEFAULT_OVERRIDE_HEADER)).isEmpty();
      assertThat(stamped.headers().firstValue("x-tester-token")).isEmpty();
      assertThat(stamped.headers().firstValue("x-request-id")).hasValue("42");
    }
  }

  @Test
  void stampsABuilder(FlagRoutes routes, FlagContext flags) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(REVIEWS).header("x-flag-checkout", "v2");

    HttpRequest stamped = FlagHttpRequests.stamp(builder, HeaderCodec.perFlag()).build();

    StampedFlags.ofMultimap(stamped.headers().map(), routes).assertStamped(flags);
  }

  @Test
  void aStampedRequestCarriesTheFlagsOverTheWireFromAnExecutorHop(FlagRoutes routes, FlagContext flags)
      throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    HttpClient http = HttpClient.newHttpClient();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      ExecutorService hop = FlagExecutors.wrap(pool);
      int status = hop.submit(() -> http.send(
          FlagHttpRequests.stamp(HttpRequest.newBuilder(server.url("/reviews").uri()).build(), HeaderCodec.perFlag()),
          HttpResponse.BodyHandlers.discarding()).statusCode()).get(60, TimeUnit.SECONDS);

      assertThat(status).isEqualTo(200);
      RecordedRequest received = server.takeRequest(60, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      StampedFlags.ofMultimap(received.getHeaders().toMultimap(), routes).assertStamped(flags);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void stampsTheShadowMarkerOnlyForAShadowContextAndNeverForwardsAnInboundOne(FlagRoutes routes) {
    FlagRouter relay = FlagRouter.builder(routes).mode(RoutingMode.RELAY).shadowHeader("X-Dark").build();
    Map<String, String> inbound = Map.of("x-flag-checkout", "v2");
    FlagContext user = relay.route(inbound, HeaderGetter.forMap());
    FlagContext shadow = relay.route(inbound, HeaderGetter.forMap(), null, "reviews-shadow:9080");
    HttpRequest copied = HttpRequest.newBuilder(REVIEWS).header("x-dark", "1").build();

    try (FlagScope ignored = user.makeCurrent()) {
      assertThat(FlagHttpRequests.stamp(copied, relay.codec()).headers().firstValue("x-dark")).isEmpty();
    }
    try (FlagScope ignored = shadow.makeCurrent()) {
      assertThat(FlagHttpRequests.stamp(copied, relay.codec()).headers().allValues("x-dark")).containsExactly("1");
    }
    try (FlagScope ignored = FlagContext.empty().makeCurrent()) {
      assertThat(FlagHttpRequests.stamp(copied, relay.codec()).headers().firstValue("x-dark"))
          .as("outside any context").isEmpty();
    }
  }
}
