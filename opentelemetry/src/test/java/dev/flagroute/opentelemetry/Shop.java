package dev.flagroute.opentelemetry;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.grpc.FlagClientInterceptor;
import dev.flagroute.grpc.FlagServerInterceptor;
import dev.flagroute.okhttp.FlagStampingInterceptor;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.servlet.FlagRoutingFilter;
import dev.flagroute.servlet.TargetingKeySource;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.instrumentation.okhttp.v3_0.OkHttpTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Three real services on loopback, each instrumented with OpenTelemetry: {@code frontend} (Jetty,
 * flagroute edge) calls {@code reviews} v2 (Jetty, relay) over OkHttp with OpenTelemetry's OkHttp
 * instrumentation; reviews calls {@code ratings} v1 (gRPC on Netty, relay) with OpenTelemetry's
 * gRPC instrumentation. Every answer lists what each hop saw: {@code hop <service> <version>
 * <variants> baggage-headers=<n>}.
 */
final class Shop implements AutoCloseable {
  static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("new-reviews").service("reviews").variant("stable", "v1").variant("redesign", "v2")
          .defaultVariant("stable").build(),
      FlagRoute.builder("ratings-model").service("ratings").variant("classic", "v1").variant("ml", "v2")
          .defaultVariant("classic").build());
  static final MethodDescriptor<String, String> GET = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Ratings", "Get"))
      .setRequestMarshaller(Utf8.INSTANCE).setResponseMarshaller(Utf8.INSTANCE).build();

  private final List<AutoCloseable> started = new ArrayList<>();
  private final OpenFeatureAPI openFeature = OpenFeatureAPI.createIsolated();
  private URI frontend;

  /**
   * Starts the shop. With {@code viaBaggage}, every router uses the baggage codec, no flagroute
   * stamping interceptor runs, and the frontend puts the flags into OpenTelemetry baggage with
   * {@link FlagBaggageBridge}: OpenTelemetry's propagators alone carry them.
   */
  static Shop start(OpenTelemetrySdk otel, boolean viaBaggage) throws Exception {
    Shop shop = new Shop();
    try {
      shop.startAll(otel, viaBaggage);
      return shop;
    } catch (Exception e) {
      shop.close();
      throw e;
    }
  }

  private void startAll(OpenTelemetrySdk otel, boolean viaBaggage) throws Exception {
    HeaderCodec codec = viaBaggage ? HeaderCodec.baggage() : HeaderCodec.perFlag();
    openFeature.setProviderAndWait(new InMemoryProvider(Map.of(
        "new-reviews", Flag.<String>builder().variant("stable", "stable").variant("redesign", "redesign")
            .defaultVariant("stable").contextEvaluator((flag, ctx) -> "alice".equals(ctx.getTargetingKey())
                ? "redesign" : null).build(),
        "ratings-model", Flag.<String>builder().variant("classic", "classic").variant("ml", "ml")
            .defaultVariant("classic").build())));
    GrpcTelemetry grpc = GrpcTelemetry.create(otel);

    FlagRouter ratingsRouter = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).codec(codec)
        .listener(FlagTraces.builder().service("ratings", "v1").build()).build();
    Server ratings = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("test.Ratings").addMethod(GET, ServerCalls.asyncUnaryCall(
            (request, reply) -> {
              reply.onNext("hop ratings v1 " + FlagContext.current().variantSummary() + "\n");
              reply.onCompleted();
            })).build())
        .intercept(FlagServerInterceptor.builder(ratingsRouter).build())
        .intercept(grpc.createServerInterceptor()) // registered last, runs first: the span is current when flagroute routes
        .build().start();
    started.add(() -> ratings.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    List<ClientInterceptor> outbound = new ArrayList<>();
    if (!viaBaggage) {
      outbound.add(FlagClientInterceptor.create(codec));
    }
    outbound.add(grpc.createClientInterceptor());
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", ratings.getPort()).usePlaintext()
        .intercept(outbound).build();
    started.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));

    FlagRouter reviewsRouter = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).codec(codec)
        .listener(FlagTraces.builder().service("reviews", "v2").build()).build();
    URI reviews = jetty(otel, FlagRoutingFilter.builder(reviewsRouter).build(), new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String rated = ClientCalls.blockingUnaryCall(channel, GET,
            CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), "product");
        int baggageHeaders = Collections.list(request.getHeaders("baggage")).size();
        write(response, "hop reviews v2 " + FlagContext.current().variantSummary() + " baggage-headers="
            + baggageHeaders + "\n" + rated);
      }
    });

    FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).codec(codec).client(openFeature.getClient())
        .listener(FlagTraces.builder().providerName("in-memory").logEvents(otel.getLogsBridge()).build()).build();
    OkHttpClient.Builder client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60))
        .readTimeout(Duration.ZERO);
    if (!viaBaggage) {
      client.addInterceptor(new FlagStampingInterceptor(edge.codec()));
    }
    Call.Factory http = OkHttpTelemetry.create(otel).createCallFactory(client.build());
    URI target = reviews.resolve("/reviews");
    frontend = jetty(otel, FlagRoutingFilter.builder(edge).targetingKey(TargetingKeySource.header("x-user-id")).build(),
        new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Scope baggage = viaBaggage ? FlagBaggageBridge.standard().makeCurrent(FlagContext.current()) : Scope.noop();
            try (baggage; Response downstream = http.newCall(new Request.Builder().url(target.toString()).build())
                .execute()) {
              write(response, "edge " + FlagContext.current().variantSummary() + "\n" + downstream.body().string());
            }
          }
        });
  }

  private URI jetty(OpenTelemetrySdk otel, Filter flagroute, HttpServlet servlet) throws Exception {
    org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(new ServerSpanFilter(otel)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(flagroute), "/*", EnumSet.allOf(DispatcherType.class));
    context.addServlet(new ServletHolder(servlet), "/*");
    server.setHandler(context);
    server.start();
    started.add(server::stop);
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  private static void write(HttpServletResponse response, String body) throws IOException {
    response.setContentType("text/plain;charset=utf-8");
    response.getWriter().write(body);
  }

  /** The frontend's product page. */
  URI product() {
    return frontend.resolve("/product");
  }

  @Override
  public void close() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    openFeature.shutdown();
  }

  /** Messages as UTF-8 text. */
  private enum Utf8 implements MethodDescriptor.Marshaller<String> {
    INSTANCE;

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
