package dev.flagroute.okhttp;

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
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A relay whose routes define none of the flags it receives (a team that adopted flagroute to pass
 * flags on before routing any of its own) forwards them all, unchanged, through OkHttp.
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
      FlagRouter relay = relay(none, wire, MeshHosts.of("*.svc"), new RoutingCounters());
      FlagContext carrying = relay.route(inbound(wire), HeaderGetter.forMultiMap());
      assertThat(carrying.isEmpty()).as("nothing routed").isTrue();
      assertThat(carrying.hasNothingToStamp()).isFalse();

      RecordedRequest received = call(relay.codec(), carrying, request().header("x-request-id", "42").build());

      FlagContext next = relay.route(received.getHeaders().toMultimap(), HeaderGetter.forMultiMap());
      assertThat(next.carried()).isEqualTo(UPSTREAM);
      assertThat(received.getHeaders().get("x-request-id")).isEqualTo("42");
    }
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void carriedFlagsReplaceFlagHeadersSetByHand(HeaderCodec wire) throws Exception {
    FlagRouter relay = relay(FlagRoutes.empty(), wire, MeshHosts.of("*.svc"), new RoutingCounters());
    FlagContext carrying = relay.route(inbound(wire), HeaderGetter.forMultiMap());
    Map<String, String> stale = new LinkedHashMap<>();
    wire.inject(FlagContext.builder(FlagRoutes.empty()).carry("payment", "v9").build(), stale,
        HeaderSetter.forMap());
    Request.Builder request = request();
    stale.forEach(request::header);

    RecordedRequest received = call(relay.codec(), carrying, request.build());

    assertThat(relay.route(received.getHeaders().toMultimap(), HeaderGetter.forMultiMap()).carried())
        .isEqualTo(UPSTREAM);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void aHostOutsideTheMeshGetsNoCarriedFlags(HeaderCodec wire) throws Exception {
    RoutingCounters counters = new RoutingCounters();
    FlagRouter relay = relay(FlagRoutes.empty(), wire, MeshHosts.of("*.svc"), counters);
    FlagContext carrying = relay.route(inbound(wire), HeaderGetter.forMultiMap());
    Request.Builder outside = new Request.Builder().url("http://api.partner.example:" + server.getPort() + "/charge");
    inbound(wire).forEach((name, values) -> outside.header(name, values.get(0)));

    RecordedRequest received = call(relay.codec(), carrying, outside.build());

    assertThat(relay.route(received.getHeaders().toMultimap(), HeaderGetter.forMultiMap()).carried()).isEmpty();
    assertThat(counters.egressBlocked()).isEqualTo(1);
  }

  private static FlagRouter relay(FlagRoutes routes, HeaderCodec wire, MeshHosts hosts, RoutingCounters counters) {
    return FlagRouter.builder(routes).mode(RoutingMode.RELAY).codec(wire).meshHosts(hosts).listener(counters)
        .build();
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

  private RecordedRequest call(HeaderCodec codec, FlagContext context, Request request) throws Exception {
    OkHttpClient client = new OkHttpClient.Builder().addInterceptor(new FlagStampingInterceptor(codec))
        .dns(host -> List.of(InetAddress.getLoopbackAddress()))
        .callTimeout(Duration.ofSeconds(60)).readTimeout(Duration.ZERO).build();
    server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    try (FlagScope scope = context.makeCurrent(); Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    RecordedRequest received = server.takeRequest(60, TimeUnit.SECONDS);
    assertThat(received).as("a request reached the server").isNotNull();
    return received;
  }

  private Request.Builder request() {
    return new Request.Builder().url("http://reviews.shop.svc:" + server.getPort() + "/reviews");
  }
}
