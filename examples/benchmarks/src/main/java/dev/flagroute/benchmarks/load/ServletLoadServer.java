package dev.flagroute.benchmarks.load;

import dev.flagroute.benchmarks.LoadFlags;
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
 * The server that {@code run-load.sh servlet} loads: embedded Jetty on loopback serving the same
 * servlet at {@code /plain/} and, behind {@link FlagRoutingFilter} (EDGE, ten flags, cached
 * decisions keyed on the user and two attributes taken from headers), at {@code /flagged/}. Both
 * share one JVM, so they share its warm-up and its neighbours' noise.
 *
 * <p>Argument: the most seconds to run before stopping by itself (see {@link LoadServer}).
 */
public final class ServletLoadServer {
  private ServletLoadServer() {}

  /** Starts the server on a free port, announces its two paths, stops after the time limit. */
  public static void main(String[] args) throws Exception {
    LoadServer.stopLater(args);

    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait("servlet-load", LoadFlags.provider());
    FlagRouter router = FlagRouter.builder(LoadFlags.routes()).mode(RoutingMode.EDGE)
        .client(api.getClient("servlet-load")).cacheKeyAttributes(LoadFlags.keyAttributes()).build();
    FlagRoutingFilter filter = FlagRoutingFilter.builder(router)
        .targetingKey(TargetingKeySource.header("x-user-id"))
        .attributeFromHeader("country", "x-country")
        .attributeFromHeader("plan", "x-plan")
        .build();

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler plain = new ServletContextHandler("/plain");
    plain.addServlet(new ServletHolder(new FlagsServlet()), "/*");
    ServletContextHandler flagged = new ServletContextHandler("/flagged");
    flagged.addServlet(new ServletHolder(new FlagsServlet()), "/*");
    flagged.addServletContainerInitializer((classes, context) -> filter.register(context, "flagroute"));
    server.setHandler(new ContextHandlerCollection(plain, flagged));
    server.start();
    String base = "http://127.0.0.1:" + connector.getLocalPort();
    LoadServer.announce(LoadServer.PLAIN, base + "/plain/");
    LoadServer.announce(LoadServer.FLAGGED, base + "/flagged/");
    server.join();
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
