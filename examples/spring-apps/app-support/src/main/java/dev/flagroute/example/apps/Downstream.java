package dev.flagroute.example.apps;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A downstream service on the JDK's own HTTP server (so it adds nothing to an app's class path):
 * it answers every request with the {@code x-flag-checkout} header it received, or {@code none}.
 */
public final class Downstream implements AutoCloseable {
  private final HttpServer server;
  private volatile Map<String, List<String>> received = Map.of();

  private Downstream(HttpServer server) {
    this.server = server;
  }

  /** Starts a downstream on a free local port. */
  public static Downstream start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      Downstream downstream = new Downstream(server);
      server.createContext("/", exchange -> {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        downstream.received = headers;
        String flag = exchange.getRequestHeaders().getFirst("x-flag-checkout");
        byte[] body = (flag == null ? "none" : flag).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      return downstream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The headers of the last request it received, by case-insensitive name, each with all its values. */
  public Map<String, List<String>> received() {
    return received;
  }

  /** Its base URL, such as {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
