package dev.flagroute.example.apps.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.grpc.FlagClientInterceptor;
import dev.flagroute.grpc.FlagServerInterceptor;
import dev.flagroute.jdkhttp.FlagHttpRequests;
import dev.flagroute.observe.RoutingCounters;
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
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A fleet on real servers, in each codec: a Jetty servlet edge deciding three flags, a gRPC relay
 * (Netty) whose routes know only {@code checkout}, and only its older variants {@code v1} and
 * {@code v2}, and the WebFlux {@link RatingsApplication} at the end, whose routes know every flag.
 * Many threads send requests of different users, each with forged flag headers of every codec. The
 * last hop must see exactly the edge's decision of each request's own user: the middle relay
 * carries the flags it does not route and the variant it does not know, unchanged, and nothing
 * leaks between requests.
 */
class FleetAcrossServersTest {
  private static final List<String> CHECKOUT = List.of("v1", "v2", "v3");
  private static final List<String> SEARCH = List.of("off", "on");
  private static final List<String> MODEL = List.of("classic", "neural");
  private static final int USERS = 12;
  private static final int THREADS = 8;
  private static final int REQUESTS_PER_THREAD = 40;

  private static final MethodDescriptor<String, String> CALL = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("fleet.Reviews", "Call"))
      .setRequestMarshaller(Utf8.MARSHALLER).setResponseMarshaller(Utf8.MARSHALLER).build();

  static Stream<Arguments> codecs() {
    return Stream.of(Arguments.of("per-flag", HeaderCodec.perFlag()), Arguments.of("combined", HeaderCodec.combined()),
        Arguments.of("baggage", HeaderCodec.baggage()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("codecs")
  void everyFlagArrivesAtTheLastHopUnchanged(String codecName, HeaderCodec codec) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    RoutingCounters middleCounters = new RoutingCounters();
    FlagRouter middle = FlagRouter.builder(FlagRoutes.of(route("checkout", "reviews", List.of("v1", "v2"))))
        .mode(RoutingMode.RELAY).codec(codec).listener(middleCounters).build();
    OpenFeatureAPI openFeature = OpenFeatureAPI.createIsolated();
    openFeature.setProviderAndWait(provider());
    FlagRouter edge = FlagRouter.builder(FlagRoutes.of(route("checkout", "reviews", CHECKOUT),
        route("search", "search", SEARCH), route("ratings-model", "ratings", MODEL)))
        .mode(RoutingMode.EDGE).codec(codec).client(openFeature.getClient()).build();

    try (ConfigurableApplicationContext ratings = SpringApplication.run(RatingsApplication.class,
        "--server.port=0", "--flagroute.header.codec=" + codecName)) {
      URI last = URI.create("http://localhost:" + ratings.getEnvironment().getRequiredProperty("local.server.port")
          + "/flags");
      Server reviews = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
          .addService(ServerInterceptors.intercept(reviews(http, last, middle),
              FlagServerInterceptor.builder(middle).build()))
          .build().start();
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", reviews.getPort(),
          InsecureChannelCredentials.create()).intercept(FlagClientInterceptor.create(edge.codec())).build();
      org.eclipse.jetty.server.Server frontend = frontend(edge, channel);
      try {
        int port = ((ServerConnector) frontend.getConnectors()[0]).getLocalPort();
        ExecutorService users = Executors.newFixedThreadPool(THREADS);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(users.submit(() -> {
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
              int user = (thread * 7 + i * 5) % USERS;
              String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/checkout"))
                  .header("x-user-id", "u-" + user)
                  .header("X-Flag-Checkout", "v9").header("x-flags", "search=on,stowaway=v1")
                  .header("baggage", "flag.ratings-model=neural,userid=" + user).build(),
                  HttpResponse.BodyHandlers.ofString()).body();
              if (!body.equals(expected(user))) {
                wrong.add("u-" + user + ": " + body + " instead of " + expected(user));
              }
            }
            return wrong;
          }));
        }
        users.shutdown();
        List<String> wrong = new ArrayList<>();
        for (Future<List<String>> result : results) {
          wrong.addAll(result.get(10, TimeUnit.MINUTES));
        }
        assertThat(wrong).as("requests whose flags changed on the way, in %s", codecName).isEmpty();
        assertThat(middleCounters.unknownVariants()).as("the older routes are reported").isPositive();
        assertThat(middleCounters.codecMismatches()).isZero();
        assertThat(middleCounters.dropped()).isZero();
      } finally {
        frontend.stop();
        channel.shutdownNow();
        reviews.shutdownNow();
        openFeature.shutdown();
      }
    }
  }

  /** What each hop sees for {@code user}: the edge's decision, carried through the middle unchanged. */
  private static String expected(int user) {
    String checkout = checkout(user);
    String search = SEARCH.get(user / 3 % 2);
    String model = MODEL.get(user / 6 % 2);
    String middle = "checkout=" + checkout + ":" + (checkout.equals("v3") ? "UNKNOWN_VARIANT" : "RELAYED")
        + " carried{ratings-model=" + model + ", search=" + search + "}";
    String last = "checkout=" + checkout + ":RELAYED,search=" + search + ":RELAYED,ratings-model=" + model
        + ":RELAYED carried{}";
    return "edge=checkout=" + checkout + ",search=" + search + ",ratings-model=" + model + " -> reviews=" + middle
        + " -> ratings=" + last;
  }

  private static String checkout(int user) {
    return CHECKOUT.get(user % 3);
  }

  /** The provider at the edge: user {@code u-<n>} gets variants by {@code n}. */
  private static InMemoryProvider provider() {
    return new InMemoryProvider(Map.of(
        "checkout", flag(CHECKOUT, n -> CHECKOUT.get(n % 3)),
        "search", flag(SEARCH, n -> SEARCH.get(n / 3 % 2)),
        "ratings-model", flag(MODEL, n -> MODEL.get(n / 6 % 2))));
  }

  private static Flag<String> flag(List<String> variants, java.util.function.IntFunction<String> byUser) {
    Flag.FlagBuilder<String> flag = Flag.<String>builder().defaultVariant(variants.get(0));
    variants.forEach(v -> flag.variant(v, v));
    return flag.contextEvaluator((f, context) -> byUser.apply(Integer.parseInt(context.getTargetingKey()
        .substring(2)))).build();
  }

  private static FlagRoute route(String key, String service, List<String> variants) {
    FlagRoute.Builder route = FlagRoute.builder(key).service(service);
    for (int i = 0; i < variants.size(); i++) {
      route.variant(variants.get(i), "v" + (i + 1));
    }
    return route.defaultVariant(variants.get(0)).build();
  }

  /** The edge: a servlet behind the flagroute filter, calling the middle over gRPC. */
  private static org.eclipse.jetty.server.Server frontend(FlagRouter edge, ManagedChannel channel) throws Exception {
    org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server(0);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(FlagRoutingFilter.builder(edge).targetingKey(TargetingKeySource.header(
        "x-user-id")).build()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String seen = "edge=" + FlagContext.current().variantSummary();
        String downstream = ClientCalls.blockingUnaryCall(channel, CALL, CallOptions.DEFAULT, "go");
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().write(seen + " -> " + downstream);
      }
    }), "/checkout");
    server.setHandler(context);
    server.start();
    return server;
  }

  /** The middle: a gRPC relay that knows only the older {@code checkout}, calling the last hop over HTTP. */
  private static ServerServiceDefinition reviews(HttpClient http, URI last, FlagRouter middle) {
    return ServerServiceDefinition.builder("fleet.Reviews").addMethod(CALL, ServerCalls.asyncUnaryCall(
        (request, response) -> {
          FlagContext flags = FlagContext.current();
          String seen = "reviews=checkout=" + flags.variant("checkout") + ":" + flags.decision("checkout").reason()
              + " carried" + new TreeMap<>(flags.carried());
          try {
            String body = http.send(FlagHttpRequests.stamp(HttpRequest.newBuilder(last).build(), middle.codec()),
                HttpResponse.BodyHandlers.ofString()).body();
            response.onNext(seen + " -> ratings=" + body);
            response.onCompleted();
          } catch (IOException e) {
            response.onError(Status.UNAVAILABLE.withCause(e).asRuntimeException());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(Status.CANCELLED.withCause(e).asRuntimeException());
          }
        })).build();
  }

  /** Strings as UTF-8 messages. */
  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    static final Utf8 MARSHALLER = new Utf8();

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw Status.INTERNAL.withCause(e).asRuntimeException();
      }
    }
  }
}
