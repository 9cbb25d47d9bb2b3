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
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** GETs {@code base + path} with {@code headers} given as name, value, name, value, ... */
  static Reply get(URI base, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
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

  String get(String key) {
    return body.get(key);
  }
}
