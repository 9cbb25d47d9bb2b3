package dev.flagroute.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * What a WebFlux application behind {@link FlagRoutingWebFilter} sees of the inbound headers, on a
 * real Reactor Netty server and through a real HTTP client, for each codec, at the edge and the
 * relay: the decided flags of the router's codec only, no flag header of any codec, no override
 * token; and never another exchange's decision under concurrent load.
 */
class InboundViewServerTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
          .build(),
      FlagRoute.builder("search").service("search").variant("off", "stable").variant("on", "canary")
          .defaultVariant("off").build());
  /** The headers the view handler reports, besides the {@code x-} names it lists. */
  private static final List<String> SENT = List.of("x-flag-checkout", "x-flag-search", "x-flag-bogus", "x-flags",
      "baggage", OverrideTokens.DEFAULT_HEADER, "x-tester-token", "x-other");
  private static final String SECRET = "Zq3v8LmP0xR7tYw2Kc9Nf4Hb6Jd1Sg5A";

  private static OpenFeatureAPI openFeature;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();
  private final List<DisposableServer> servers = new ArrayList<>();

  @BeforeAll
  static void flags() {
    openFeature = OpenFeatureAPI.createIsolated();
    openFeature.setProviderAndWait(new InMemoryProvider(Map.of(
        "checkout", Flag.<String>builder().variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
            .contextEvaluator((flag, context) -> userNumber(context.getTargetingKey()) % 2 == 0 ? "v2" : null)
            .build(),
        "search", Flag.<String>builder().variant("off", "off").variant("on", "on").defaultVariant("off")
            .contextEvaluator((flag, context) -> userNumber(context.getTargetingKey()) % 3 == 0 ? "on" : null)
            .build())));
  }

  @AfterEach
  void stop() {
    servers.forEach(DisposableServer::disposeNow);
  }

  /** Every header a client may send to smuggle flags or a token, besides the user's own. */
  private static List<String> hostile(String user) {
    return List.of("x-user-id", user, "x-flags", "checkout=v2,search=on",
        "baggage", "userId=alice, flag.checkout=v2,FLAG.search=on;p=1,other=1",
        OverrideTokens.DEFAULT_HEADER, "fr2:4102444800:checkout=v2:::forged",
        "x-flag-bogus", "yes", "x-flag-checkout", "v2", "x-other", "kept");
  }

  @Test
  void perFlagEdgeShowsItsDecisionAndHidesEverySpoof() throws Exception {
    Map<String, String> view = get(start(edge(HeaderCodec.perFlag())), hostile("user-5"));

    assertThat(view).containsEntry("current", "checkout=v1,search=off")
        .containsEntry("names", "baggage,x-flag-checkout,x-flag-search,x-other,x-user-id")
        .containsEntry("x-flag-checkout", "v1#1").containsEntry("x-flag-search", "off#1")
        .containsEntry("x-flag-bogus", "null#0").containsEntry("x-flags", "null#0")
        .containsEntry(OverrideTokens.DEFAULT_HEADER, "null#0")
        .containsEntry("baggage", "userId=alice,other=1#1").containsEntry("x-other", "kept#1");
  }

  @Test
  void combinedEdgeShowsOneDecidedHeader() throws Exception {
    Map<String, String> view = get(start(edge(HeaderCodec.combined())), hostile("user-6"));

    assertThat(view).containsEntry("current", "checkout=v2,search=on")
        .containsEntry("names", "baggage,x-flags,x-other,x-user-id")
        .containsEntry("x-flags", "checkout=v2,search=on#1")
        .containsEntry("x-flag-checkout", "null#0").containsEntry("x-flag-bogus", "null#0")
        .containsEntry(OverrideTokens.DEFAULT_HEADER, "null#0").containsEntry("baggage", "userId=alice,other=1#1");
  }

  @Test
  void baggageEdgeKeepsOtherMembersAndWritesTheDecidedOnes() throws Exception {
    List<String> headers = new ArrayList<>(hostile("user-3"));
    headers.addAll(List.of("baggage", "region=eu"));

    Map<String, String> view = get(start(edge(HeaderCodec.baggage())), headers);

    assertThat(view).containsEntry("current", "checkout=v1,search=on")
        .containsEntry("names", "baggage,x-other,x-user-id")
        .containsEntry("baggage", "userId=alice,other=1,region=eu,flag.checkout=v1,flag.search=on#1")
        .containsEntry("x-flag-checkout", "null#0").containsEntry("x-flags", "null#0")
        .containsEntry(OverrideTokens.DEFAULT_HEADER, "null#0");
  }

  @Test
  void theRelayShowsTheRelayedVariantsOfItsCodecOnly() throws Exception {
    Map<String, String> perFlag = get(start(relay(HeaderCodec.perFlag())), hostile("user-5"));
    Map<String, String> combined = get(start(relay(HeaderCodec.combined())), hostile("user-5"));
    Map<String, String> baggage = get(start(relay(HeaderCodec.baggage())), hostile("user-5"));

    assertThat(perFlag).containsEntry("current", "checkout=v2,search=off")
        .containsEntry("names", "baggage,x-flag-bogus,x-flag-checkout,x-flag-search,x-other,x-user-id")
        .containsEntry("x-flag-checkout", "v2#1").containsEntry("x-flags", "null#0")
        .containsEntry("x-flag-bogus", "yes#1").containsEntry("baggage", "userId=alice,other=1#1");
    assertThat(combined).containsEntry("current", "checkout=v2,search=on")
        .containsEntry("names", "baggage,x-flags,x-other,x-user-id")
        .containsEntry("x-flags", "checkout=v2,search=on#1").containsEntry("x-flag-checkout", "null#0");
    assertThat(baggage.get("names")).isEqualTo("baggage,x-other,x-user-id");
    assertThat(baggage.get("baggage")).isEqualTo("userId=alice,other=1," + baggage.get("current")
        .replace("checkout=", "flag.checkout=").replace("search=", "flag.search=") + "#1");
    for (Map<String, String> view : List.of(combined, baggage)) {
      assertThat(view).as("another codec's flag header is hidden").containsEntry("x-flag-bogus", "null#0");
    }
    for (Map<String, String> view : List.of(perFlag, combined, baggage)) {
      assertThat(view).containsEntry(OverrideTokens.DEFAULT_HEADER, "null#0")
          .containsEntry("x-other", "kept#1");
    }
  }

  @Test
  void anAcceptedOverrideTokenDecidesButIsNeverShown() throws Exception {
    OverrideTokens tokens = OverrideTokens.builder(SECRET).build();
    FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.getClient())
        .overrides(tokens).overrideHeader("x-tester-token").build();
    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5));

    Map<String, String> view = get(start(router), List.of("x-user-id", "user-5", "x-tester-token", token,
        OverrideTokens.DEFAULT_HEADER, token, "x-other", "kept"));

    assertThat(view).containsEntry("current", "checkout=v2,search=off")
        .containsEntry("x-flag-checkout", "v2#1").containsEntry("x-tester-token", "null#0")
        .containsEntry(OverrideTokens.DEFAULT_HEADER, "null#0")
        .containsEntry("names", "x-flag-checkout,x-flag-search,x-other,x-user-id");
  }

  @Test
  void bypassedExchangesKeepTheirHeadersAsSent() throws Exception {
    FlagRouter router = edge(HeaderCodec.perFlag());
    FlagRoutingWebFilter filter = FlagRoutingWebFilter.builder(router)
        .targetingKey(ReactiveTargetingKeySource.header("x-user-id")).bypass(exchange -> true).build();

    Map<String, String> view = get(start(filter), hostile("user-5"));

    assertThat(view).containsEntry("current", "none").containsEntry("x-flag-checkout", "v2#1")
        .containsEntry("x-flag-bogus", "yes#1");
  }

  @Test
  void concurrentExchangesEachSeeTheirOwnDecision() throws Exception {
    DisposableServer server = start(edge(HeaderCodec.perFlag()));
    List<CompletableFuture<Map<String, String>>> replies = IntStream.range(0, 240)
        .mapToObj(n -> send(server, hostile("user-" + n))).toList();

    for (int n = 0; n < replies.size(); n++) {
      String checkout = n % 2 == 0 ? "v2" : "v1";
      String search = n % 3 == 0 ? "on" : "off";
      assertThat(replies.get(n).get(60, TimeUnit.SECONDS)).as("user-%d", n)
          .containsEntry("user", "user-" + n + "#1")
          .containsEntry("current", "checkout=" + checkout + ",search=" + search)
          .containsEntry("x-flag-checkout", checkout + "#1").containsEntry("x-flag-search", search + "#1")
          .containsEntry("x-flag-bogus", "null#0").containsEntry(OverrideTokens.DEFAULT_HEADER, "null#0");
    }
  }

  @Test
  void aLaterFilterMutatingTheExchangeStartsFromTheView() throws Exception {
    WebFilter adds = (exchange, chain) -> chain.filter(exchange.mutate()
        .request(request -> request.header("x-added", "yes")).build());

    Map<String, String> view = get(start(filter(edge(HeaderCodec.perFlag())), adds), hostile("user-5"));

    assertThat(view).containsEntry("current", "checkout=v1,search=off")
        .containsEntry("names", "baggage,x-added,x-flag-checkout,x-flag-search,x-other,x-user-id")
        .containsEntry("x-flag-checkout", "v1#1").containsEntry("x-flag-bogus", "null#0")
        .containsEntry("x-flags", "null#0").containsEntry(OverrideTokens.DEFAULT_HEADER, "null#0")
        .containsEntry("baggage", "userId=alice,other=1#1").containsEntry("x-other", "kept#1");
  }

  @Test
  void aHandlerThatNeverAsksForHeadersStillGetsTheDecision() throws Exception {
    DisposableServer server = start(exchange -> FlagReactorContext.current()
        .map(flags -> "current=checkout=" + flags.variant("checkout") + ",search=" + flags.variant("search")),
        filter(edge(HeaderCodec.perFlag())));

    assertThat(get(server, hostile("user-6"))).containsEntry("current", "checkout=v2,search=on");
    assertThat(get(server, hostile("user-5"))).containsEntry("current", "checkout=v1,search=off");
  }

  /**
   * Each exchange's view asked for at once on many threads, the first questions racing to work it
   * out, while many exchanges of different users run at once: every thread sees its exchange's
   * decision, and no exchange another's.
   */
  @Test
  void manyThreadsAskingAtOnceAllSeeTheirExchangesView() throws Exception {
    DisposableServer server = start(exchange -> Flux.range(0, 8)
        .flatMap(thread -> Mono.fromCallable(() -> report(exchange)).subscribeOn(Schedulers.boundedElastic()))
        .collect(Collectors.toSet())
        .map(reports -> reports.size() == 1 ? reports.iterator().next() : "views=" + reports.size()),
        filter(edge(HeaderCodec.perFlag())));
    List<CompletableFuture<Map<String, String>>> replies = IntStream.range(0, 120)
        .mapToObj(n -> send(server, hostile("user-" + n))).toList();

    for (int n = 0; n < replies.size(); n++) {
      String checkout = n % 2 == 0 ? "v2" : "v1";
      String search = n % 3 == 0 ? "on" : "off";
      assertThat(replies.get(n).get(60, TimeUnit.SECONDS)).as("user-%d", n).doesNotContainKey("views")
          .containsEntry("user", "user-" + n + "#1")
          .containsEntry("current", "checkout=" + checkout + ",search=" + search)
          .containsEntry("names", "baggage,x-flag-checkout,x-flag-search,x-other,x-user-id")
          .containsEntry("x-flag-checkout", checkout + "#1").containsEntry("x-flag-search", search + "#1")
          .containsEntry("x-flag-bogus", "null#0").containsEntry(OverrideTokens.DEFAULT_HEADER, "null#0");
    }
  }

  private static FlagRoutingWebFilter filter(FlagRouter router) {
    return FlagRoutingWebFilter.builder(router).targetingKey(ReactiveTargetingKeySource.header("x-user-id")).build();
  }

  private static FlagRouter edge(HeaderCodec codec) {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).codec(codec).client(openFeature.getClient()).build();
  }

  private static FlagRouter relay(HeaderCodec codec) {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).codec(codec).build();
  }

  private DisposableServer start(FlagRouter router) {
    return start(filter(router));
  }

  /** A Reactor Netty server whose only handler reports the headers it sees, after a thread switch. */
  private DisposableServer start(FlagRoutingWebFilter filter, WebFilter... later) {
    return start(exchange -> Mono.fromCallable(() -> report(exchange)).subscribeOn(Schedulers.boundedElastic()),
        filter, later);
  }

  /** A Reactor Netty server whose only handler answers what {@code reply} makes of the exchange. */
  private DisposableServer start(Function<ServerWebExchange, Mono<String>> reply, FlagRoutingWebFilter filter,
      WebFilter... later) {
    WebHandler handler = exchange -> reply.apply(exchange)
        .flatMap(body -> exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory()
            .wrap(body.getBytes(StandardCharsets.UTF_8)))));
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.webHandler(handler).filter(filter).filters(
            filters -> filters.addAll(List.of(later))).build()))
        .bindNow(Duration.ofSeconds(60));
    servers.add(server);
    return server;
  }

  /**
   * The {@code x-} and {@code baggage} header names (sorted, lowercase), each header a client may
   * send (first value and the number of values) and the exchange's decided flags.
   */
  private static String report(ServerWebExchange exchange) {
    HttpHeaders headers = exchange.getRequest().getHeaders();
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("names", headers.headerNames().stream().map(name -> name.toLowerCase(Locale.ROOT))
        .filter(name -> name.startsWith("x-") || name.equals("baggage")).sorted().collect(Collectors.joining(",")));
    lines.put("user", headers.getFirst("x-user-id") + "#" + headers.getOrEmpty("x-user-id").size());
    for (String name : SENT) {
      lines.put(name, headers.getFirst(name) + "#" + headers.getOrEmpty(name).size());
    }
    FlagContext flags = exchange.getAttribute(FlagRoutingWebFilter.ATTRIBUTE);
    lines.put("current", flags == null ? "none"
        : "checkout=" + flags.variant("checkout") + ",search=" + flags.variant("search"));
    return lines.entrySet().stream().map(line -> line.getKey() + "=" + line.getValue())
        .collect(Collectors.joining("\n"));
  }

  private Map<String, String> get(DisposableServer server, List<String> headers) throws Exception {
    return send(server, headers).get(60, TimeUnit.SECONDS);
  }

  private CompletableFuture<Map<String, String>> send(DisposableServer server, List<String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/view"))
        .timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.size(); i += 2) {
      request.header(headers.get(i), headers.get(i + 1));
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException(new IOException("status " + response.statusCode()));
      }
      return response.body().lines().collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
          line -> line.substring(line.indexOf('=') + 1), (a, b) -> b, LinkedHashMap::new));
    });
  }

  private static int userNumber(String targetingKey) {
    return targetingKey != null && targetingKey.startsWith("user-")
        ? Integer.parseInt(targetingKey.substring("user-".length())) : 1;
  }
}
