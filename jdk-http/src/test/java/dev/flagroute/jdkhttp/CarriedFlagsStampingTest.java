package dev.flagroute.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.codec.MeshHosts;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A relay whose routes define none of the flags it receives (a team that adopted flagroute to pass
 * flags on before routing any of its own) forwards them all, unchanged, through java.net.http.
 */
class CarriedFlagsStampingTest {
  private static final Map<String, String> UPSTREAM = new LinkedHashMap<>(Map.of("payment", "v2"));

  static {
    UPSTREAM.put("ratings-model", "neural");
  }

  @StartStop final MockWebServer server = new MockWebServer();

  static Stream<HeaderCodec> codecs() {
    return Stream.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void aRelayWithoutRoutesForwardsWhatItCarries(HeaderCodec wire) throws Exception {
    for (FlagRoutes none : List.of(FlagRoutes.empty(), FlagRoutesFile.parse("routes: []\n", "routes.yaml"))) {
      FlagRouter relay = relay(none, wire, new RoutingCounters());
      FlagContext carrying = relay.route(inbound(wire), HeaderGetter.forMultiMap());
      assertThat(carrying.isEmpty()).as("nothing routed").isTrue();

      RecordedRequest received = send(relay.codec(), carrying,
          HttpRequest.newBuilder(URI.create("http://reviews.shop.svc/reviews")).header("x-request-id", "42"));

      assertThat(relay.route(received.getHeaders().toMultimap(), HeaderGetter.forMultiMap()).carried())
          .isEqualTo(UPSTREAM);
      assertThat(received.getHeaders().get("x-request-id")).isEqualTo("42");
    }
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void carriedFlagsReplaceFlagHeadersSetByHand(HeaderCodec wire) throws Exception {
    FlagRouter relay = relay(FlagRoutes.empty(), wire, new RoutingCounters());
    FlagContext carrying = relay.route(inbound(wire), HeaderGetter.forMultiMap());
    Map<String, String> stale = new LinkedHashMap<>();
    wire.inject(FlagContext.builder(FlagRoutes.empty()).carry("payment", "v9").build(), stale, HeaderSetter.forMap());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://reviews.shop.svc/reviews"));
    stale.forEach(request::header);

    RecordedRequest received = send(relay.codec(), carrying, request);

    assertThat(relay.route(received.getHeaders().toMultimap(), HeaderGetter.forMultiMap()).carried())
        .isEqualTo(UPSTREAM);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void aHostOutsideTheMeshGetsNoCarriedFlags(HeaderCodec wire) throws Exception {
    RoutingCounters counters = new RoutingCounters();
    FlagRouter relay = relay(FlagRoutes.empty(), wire, counters);
    FlagContext carrying = relay.route(inbound(wire), HeaderGetter.forMultiMap());
    HttpRequest.Builder outside = HttpRequest.newBuilder(URI.create("http://api.partner.example/charge"));
    inbound(wire).forEach((name, values) -> outside.header(name, values.get(0)));

    RecordedRequest received = send(relay.codec(), carrying, outside);

    assertThat(relay.route(received.getHeaders().toMultimap(), HeaderGetter.forMultiMap()).carried()).isEmpty();
    assertThat(counters.egressBlocked()).isEqualTo(1);
  }

  private static FlagRouter relay(FlagRoutes routes, HeaderCodec wire, RoutingCounters counters) {
    return FlagRouter.builder(routes).mode(RoutingMode.RELAY).codec(wire).meshHosts(MeshHosts.of("*.svc"))
        .listener(counters).build();
  }

  /** The headers an upstream hop stamps for {@link #UPSTREAM}. */
  private static Map<String, List<String>> inbound(HeaderCodec wire) {
    FlagContext.Builder upstream = FlagContext.builder(FlagRoutes.empty());
    UPSTREAM.forEach(upstream::carry);
    Map<String, String> stamped = new LinkedHashMap<>();
    wire.inject(upstream.build(), stamped, HeaderSetter.forMap());
    Map<String, List<String>> multi = new LinkedHashMap<>();
    stamped.forEach((name, value) -> multi.put(name, List.of(value)));
    return multi;
  }

  /** Sends the stamped request through the test's server as a proxy, so any host name reaches it. */
  private RecordedRequest send(HeaderCodec codec, FlagContext context, HttpRequest.Builder request) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    HttpClient http = HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress(server.getHostName(), server.getPort()))).build();
    try (FlagScope scope = context.makeCurrent()) {
      assertThat(http.send(FlagHttpRequests.stamp(request.build(), codec), HttpResponse.BodyHandlers.discarding())
          .statusCode()).isEqualTo(200);
    }
    RecordedRequest received = server.takeRequest(60, TimeUnit.SECONDS);
    assertThat(received).as("a request reached the server").isNotNull();
    return received;
  }
}
