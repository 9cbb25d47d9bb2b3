package dev.flagroute.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A provider whose rule overflows the stack, or throws another {@link Error} than running out of
 * memory, on a real Jetty edge: the request is answered 200 with the default variants, with and
 * without a deadline.
 */
class ProviderErrorServerTest {
  private static final OkHttpClient CLIENT = new OkHttpClient.Builder().callTimeout(Duration.ofMinutes(2))
      .readTimeout(Duration.ZERO).build();

  @ParameterizedTest(name = "{0}, deadline {1}")
  @CsvSource({"stack overflow, false", "stack overflow, true", "internal error, false", "internal error, true"})
  void aProviderErrorGivesDefaultVariantsNotA500(String kind, boolean deadline) throws Exception {
    Supplier<String> rule = kind.equals("stack overflow") ? () -> String.valueOf(recurse(0)) : () -> {
      throw new InternalError("provider internal error");
    };
    OpenFeatureAPI openFeature = OpenFeatureAPI.createIsolated();
    openFeature.setProviderAndWait(new InMemoryProvider(Map.of(
        "checkout", Flag.<String>builder().variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
            .contextEvaluator((flag, context) -> rule.get()).build(),
        "search", Flag.<String>builder().variant("off", "off").variant("on", "on").defaultVariant("off").build())));
    FlagRouter.Builder builder = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.EDGE)
        .client(openFeature.getClient());
    if (deadline) {
      builder.deadline(Duration.ofSeconds(30));
    }
    Server server = start(FlagRoutingFilter.builder(builder.build())
        .targetingKey(TargetingKeySource.header("x-user-id")).build());
    try (Response response = CLIENT.newCall(new Request.Builder().url(uri(server).resolve("/product").toString())
        .header("x-user-id", "user-2").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("checkout=v1,search=off");
    } finally {
      server.stop();
      openFeature.shutdown();
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  private static Server start(FlagRoutingFilter filter) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.getWriter().write(FlagContext.current().variantSummary());
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    return server;
  }

  private static URI uri(Server server) {
    return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
  }
}
