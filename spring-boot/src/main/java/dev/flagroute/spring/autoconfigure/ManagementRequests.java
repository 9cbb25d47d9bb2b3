package dev.flagroute.spring.autoconfigure;

import java.util.function.IntSupplier;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Tells the actuator's requests from the application's: when management shares the server's port,
 * those under {@code management.endpoints.web.base-path} ({@code /actuator}); when it has a port of
 * its own ({@code management.server.port}), every request on that port, which is learnt when the
 * management server starts (so a random port works too). Probes then never count as decisions.
 */
final class ManagementRequests implements ApplicationListener<WebServerInitializedEvent> {
  private static final String MANAGEMENT_NAMESPACE = "management";

  private final String basePath;
  private final boolean ownPort;
  private volatile int port;

  private ManagementRequests(String basePath, boolean ownPort, int port) {
    this.basePath = basePath;
    this.ownPort = ownPort;
    this.port = port;
  }

  /** The actuator's requests as {@code environment} configures them. */
  static ManagementRequests of(Environment environment) {
    Integer managementPort = environment.getProperty("management.server.port", Integer.class);
    Integer serverPort = environment.getProperty("server.port", Integer.class, 8080);
    boolean ownPort = managementPort != null && managementPort >= 0 && !managementPort.equals(serverPort);
    String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator").strip();
    while (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    return new ManagementRequests(basePath, ownPort, ownPort ? managementPort : -1);
  }

  /**
   * Whether a request for {@code uri} from index {@code from} on (its path within the application)
   * that arrived on the port {@code localPort} answers is the actuator's. Only what is needed is
   * read: the port when management has its own, else the path.
   */
  boolean matches(String uri, int from, IntSupplier localPort) {
    if (ownPort) {
      return localPort.getAsInt() == port;
    }
    // endpoints mapped at the root cannot be told from the application's own paths
    int end = from + basePath.length();
    return !basePath.isEmpty() && uri != null && uri.startsWith(basePath, from)
        && (uri.length() == end || uri.charAt(end) == '/');
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (ownPort && MANAGEMENT_NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
      port = event.getWebServer().getPort();
    }
  }
}
