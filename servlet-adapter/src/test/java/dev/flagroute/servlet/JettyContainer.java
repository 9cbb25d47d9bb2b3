package dev.flagroute.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty 12 with the ee10 (Servlet 6.0) environment. */
final class JettyContainer implements EmbeddedContainer {
  private final Server server = new Server();

  @Override
  public URI start(ServletContainerInitializer app) throws Exception {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServletContainerInitializer(app);
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(Throwable.class, ERROR_PAGE);
    errors.addErrorPage(500, ERROR_PAGE);
    context.setErrorHandler(errors);
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  @Override
  public String toString() {
    return "Jetty " + Server.getVersion();
  }
}
