package dev.flagroute.benchmarks;

import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.servlet.FlagRoutingFilter;
import dev.flagroute.servlet.TargetingKeySource;
import dev.openfeature.sdk.OpenFeatureAPI;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * The server that {@code run-servlet-load.sh} loads: embedded Jetty on loopback serving the same
 * servlet at {@code /plain/} and, behind {@link FlagRoutingFilter} (EDGE, ten flags, cached
 * decisions keyed on the user and two attributes taken from headers), at {@code /flagged/}. Both
 * share one JVM, so they share its warm-up and its neighbours' noise.
 *
 * <p>Arguments: the port (0 for any; the chosen one is printed) and the most seconds to run
 * before stopping by itself (default 1800).
 */
public final class ServletLoadServer {
  private ServletLoadServer() {}

  /** Starts the server, prints {@code listening on http://127.0.0.1:<port>}, stops after the time limit. */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    long maxSeconds = args.length > 1 ? Long.parseLong(args[1]) : 1800;

    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait("servlet-load", Fixtures.memoryProvider(new Fixtures.Evaluations()));
    FlagRouter router = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.EDGE)
        .client(api.getClient("servlet-load")).cacheKeyAttributes(Fixtures.KEY_ATTRIBUTES).build();
    FlagRoutingFilter filter = FlagRoutingFilter.builder(router)
        .targetingKey(TargetingKeySource.header("x-user-id"))
        .attributeFromHeader("country", "x-country")
        .attributeFromHeader("plan", "x-plan")
        .build();

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler plain = new ServletContextHandler("/plain");
    plain.addServlet(new ServletHolder(new FlagsServlet()), "/*");
    ServletContextHandler flagged = new ServletContextHandler("/flagged");
    flagged.addServlet(new ServletHolder(new FlagsServlet()), "/*");
    flagged.addServletContainerInitializer((classes, context) -> filter.register(context, "flagroute"));
    server.setHandler(new ContextHandlerCollection(plain, flagged));
    server.start();
    System.out.println("listening on http://127.0.0.1:" + connector.getLocalPort());

    Thread stopper = new Thread(() -> {
      try {
        Thread.sleep(maxSeconds * 1000);
        server.stop();
      } catch (Exception e) {
        Thread.currentThread().interrupt();
      }
    }, "time-limit");
    stopper.setDaemon(true);
    stopper.start();
    server.join();
    api.shutdown();
  }

  /** Answers how many flags the request has decided: 10 behind the filter, 0 without it. */
  static final class FlagsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      byte[] body = ("flags=" + FlagContext.current().size() + "\n").getBytes(StandardCharsets.US_ASCII);
      response.setContentType("text/plain");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }
}
