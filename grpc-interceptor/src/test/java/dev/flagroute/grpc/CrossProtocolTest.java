package dev.flagroute.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.grpc.GrpcTestKit.Transport;
import dev.flagroute.okhttp.FlagStampingInterceptor;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.openfeature.sdk.ImmutableContext;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One request crosses HTTP and gRPC hops (real servers on loopback) and every hop sees, and
 * stamps, the variants the edge decided: HTTP edge to gRPC to HTTP, and gRPC edge to HTTP to gRPC.
 */
@SuppressWarnings("try")
class CrossProtocolTest {
  private static final List<String> USERS = List.of("beta-1", "user-2", "beta-7", "user-12", "anonymous");
  private static final Metadata.Key<String> USER = Metadata.Key.of("x-user-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> FORGED =
      Metadata.Key.of("x-flag-checkout", Metadata.ASCII_STRING_MARSHALLER);

  @StartStop
  final MockWebServer downstreamHttp = new MockWebServer();

  private final GrpcTestKit kit = new GrpcTestKit();
  private final OkHttpClient okHttp = new OkHttpClient.Builder()
      .addInterceptor(new FlagStampingInterceptor(HeaderCodec.perFlag()))
      .callTimeout(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS).readTimeout(Duration.ZERO)
      .build();
  private HttpServer httpServer;

  @AfterEach
  void shutDown() throws InterruptedException {
    if (httpServer != null) {
      httpServer.stop(0);
    }
    okHttp.dispatcher().executorService().shutdownNow();
    okHttp.connectionPool().evictAll();
    kit.close();
  }

  /** A JDK HTTP server on loopback running {@code handler}, answering 500 with the error on failure. */
  private URI startHttpServer(Handler handler) throws IOException {
    httpServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    httpServer.setExecutor(kit.executor("http", 2));
    httpServer.createContext("/", (HttpHandler) exchange -> {
      int status = 200;
      String body;
      try {
        body = handler.handle(exchange);
      } catch (Exception e) {
        status = 500;
        body = String.valueOf(e);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    httpServer.start();
    return URI.create("http://127.0.0.1:" + httpServer.getAddress().getPort() + "/");
  }

  @FunctionalInterface
  private interface Handler {
    String handle(HttpExchange exchange) throws Exception;
  }

  private String get(String url) throws IOException {
    try (Response response = okHttp.newCall(new Request.Builder().url(url).build()).execute()) {
      String body = response.body().string();
      if (!response.isSuccessful()) {
        throw new IOException(response.code() + " " + body);
      }
      return body;
    }
  }

  @Test
  void httpEdgeToGrpcToHttpCarriesTheEdgesDecision() throws Exception {
    downstreamHttp.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("stock").build();
      }
    });
    Server grpc = kit.server(Transport.NETTY, kit.executor("grpc", 2), GrpcTestKit.unaryService(request ->
        get(downstreamHttp.url("/stock?user=" + request).toString()) + " " + GrpcFlagContext.current().variants()),
        FlagServerInterceptor.builder(TestFlags.relay()).build());
    ManagedChannel toGrpc = kit.channel(Transport.NETTY, grpc, FlagClientInterceptor.create(HeaderCodec.perFlag()));
    RoutingCounters edgeCounters = new RoutingCounters();
    FlagRouter edge = TestFlags.edgeReportingForeignHeaders(edgeCounters);
    URI httpEdge = startHttpServer(exchange -> {
      String user = exchange.getRequestHeaders().getFirst("x-user-id");
      FlagContext flags = edge.route(exchange.getRequestHeaders(), HeaderGetter.forMultiMap(), new ImmutableContext(user));
      try (FlagScope ignored = flags.makeCurrent()) {
        return GrpcTestKit.unary(toGrpc, new Metadata(), user);
      }
    });
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(GrpcTestKit.TIMEOUT_SECONDS)).build();

    for (String user : USERS) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(httpEdge)
          .header("x-user-id", user).header("x-flag-checkout", "v3")
          .timeout(Duration.ofSeconds(GrpcTestKit.TIMEOUT_SECONDS)).build(), HttpResponse.BodyHandlers.ofString());
      RecordedRequest downstream = downstreamHttp.takeRequest(GrpcTestKit.TIMEOUT_SECONDS, TimeUnit.SECONDS);

      Map<String, String> decided = TestFlags.edgeVariants(user);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("stock " + TestFlags.printed(decided));
      assertThat(downstream.getUrl().queryParameter("user")).isEqualTo(user);
      decided.forEach((flag, variant) -> assertThat(downstream.getHeaders().values("x-flag-" + flag))
          .as("%s %s", user, flag).containsExactly(variant));
    }
    assertThat(edgeCounters.dropped()).as("forged inbound x-flag-checkout at the edge").isEqualTo(USERS.size());
  }

  @Test
  void grpcEdgeToHttpToGrpcCarriesTheEdgesDecision() throws Exception {
    FlagClientInterceptor stamping = FlagClientInterceptor.create(HeaderCodec.perFlag());
    Server innerGrpc = kit.server(Transport.NETTY, kit.executor("inner", 2),
        GrpcTestKit.unaryService(request -> request + " " + GrpcFlagContext.current().variants()),
        FlagServerInterceptor.builder(TestFlags.relay()).build());
    ManagedChannel toInner = kit.channel(Transport.NETTY, innerGrpc, stamping);
    FlagRouter httpRelay = TestFlags.relay();
    URI httpHop = startHttpServer(exchange -> {
      FlagContext flags = httpRelay.route(exchange.getRequestHeaders(), HeaderGetter.forMultiMap());
      try (FlagScope ignored = flags.makeCurrent()) {
        return GrpcTestKit.unary(toInner, new Metadata(), exchange.getRequestURI().getQuery());
      }
    });
    FlagServerInterceptor edge = FlagServerInterceptor.builder(TestFlags.edge(new RoutingCounters()))
        .evaluationContext(EvaluationContextFunction.targetingKey("x-user-id"))
        .build();
    Server edgeGrpc = kit.server(Transport.NETTY, kit.executor("edge", 2),
        GrpcTestKit.unaryService(request -> get(httpHop + "relay?" + request)), edge);
    ManagedChannel toEdge = kit.channel(Transport.NETTY, edgeGrpc, stamping);

    for (String user : USERS) {
      Metadata headers = new Metadata();
      headers.put(USER, user);
      headers.put(FORGED, "v3");

      String reply = GrpcTestKit.unary(toEdge, headers, user);

      assertThat(reply).isEqualTo(user + " " + TestFlags.printed(TestFlags.edgeVariants(user)));
    }
  }
}
