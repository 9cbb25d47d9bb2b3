package dev.flagroute.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the test application: status, the {@code key=value} lines of its body, and the
 * response headers.
 */
record Reply(int status, Map<String, String> body, java.net.http.HttpHeaders headers) {
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(60)).build();

  /** GETs {@code base + path} with {@code headers} given as name, value, name, value, ... */
  static Reply get(URI base, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, String> body = new LinkedHashMap<>();
    for (String line : response.body().split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        body.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return new Reply(response.statusCode(), body, response.headers());
  }

  /**
   * POSTs a chunked body to {@code base + path} over a plain socket, with {@code headers} and then
   * {@code trailers} (name, value, name, value, ...), which no JDK client can send; reads the
   * answer's {@code key=value} body lines (it must come with a Content-Length).
   */
  static Reply postWithTrailers(URI base, String path, String[] headers, String[] trailers) throws IOException {
    StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    request.append("\r\n5\r\nhello\r\n0\r\n");
    for (int i = 0; i < trailers.length; i += 2) {
      request.append(trailers[i]).append(": ").append(trailers[i + 1]).append("\r\n");
    }
    request.append("\r\n");
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(request.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int status = Integer.parseInt(answer.substring(9, 12));
      Map<String, String> body = new LinkedHashMap<>();
      for (String line : answer.substring(answer.indexOf("\r\n\r\n") + 4).split("\n")) {
        int equals = line.indexOf('=');
        if (equals > 0) {
          body.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
      return new Reply(status, body, null);
    }
  }

  String get(String key) {
    return body.get(key);
  }
}
