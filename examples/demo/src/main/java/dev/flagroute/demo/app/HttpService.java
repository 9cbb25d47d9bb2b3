package dev.flagroute.demo.app;

import dev.flagroute.servlet.FlagRoutingFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** One servlet behind flagroute's filter on embedded Jetty 12 (ee10). */
public final class HttpService implements AutoCloseable {
  private final Server server;
  private final URI uri;

  private HttpService(Server server, URI uri) {
    this.server = server;
    this.uri = uri;
  }

  /**
   * Starts Jetty on {@code host}:{@code port} (0 picks a free port) serving {@code servlet} at
   * {@code path}, with {@code filter} in front of every dispatch.
   */
  public static HttpService start(String host, int port, String path, HttpServlet servlet, FlagRoutingFilter filter)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
    context.addServlet(new ServletHolder(servlet), path);
    server.setHandler(context);
    server.start();
    return new HttpService(server, URI.create("http://" + host + ":" + connector.getLocalPort()));
  }

  /** Where the service listens, e.g. {@code http://127.0.0.1:41234}. */
  public URI uri() {
    return uri;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
