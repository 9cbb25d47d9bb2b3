package dev.flagroute.example.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends a real HTTP request to an app's edge, as a user would: HTTP/1.1 on a connection of its own.
 * No connection is pooled from one call to the next, since the apps of one test JVM come and go
 * and a new app may listen on a port an earlier one had, where a pooled connection is stale.
 */
public final class EdgeClient {

  private EdgeClient() {}

  /**
   * {@code GET http://127.0.0.1:port/checkout?downstream=...} as {@code user}, with a forged
   * {@code x-flag-checkout: v1} header that the edge must ignore; returns the body.
   */
  public static String checkout(int port, String user, String downstream) {
    String query = downstream == null ? "" : "?downstream=" + URLEncoder.encode(downstream, StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkout" + query))
        .header("x-user-id", user).header("x-flag-checkout", "v1").timeout(Duration.ofSeconds(60)).GET().build();
    try {
      HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("status " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code GET http://127.0.0.1:port/path} as {@code user}; returns the status code. */
  public static int get(int port, String path, String user) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("x-user-id", user).timeout(Duration.ofSeconds(60)).GET().build();
    try {
      return client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(60)).build();
  }

  /** Whether {@code className} can be loaded: the app shapes check their class path with it. */
  public static boolean present(String className) {
    try {
      Class.forName(className, false, EdgeClient.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
