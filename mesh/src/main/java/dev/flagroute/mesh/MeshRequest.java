package dev.flagroute.mesh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a mesh rule can see of a request: method, path (with its query) and headers, whose names
 * are lowercased as Envoy stores them, and whose values lose their surrounding spaces and tabs, as
 * HTTP parsers drop them (RFC 9112 section 5; Envoy's HTTP/1 codec trims both ends,
 * envoyproxy/envoy#10886; HTTP/2 forbids them, RFC 9113 section 8.2.1). A header sent several times keeps each
 * value ({@link #headerValues}); Envoy matches them joined with {@code ","} ({@link #header},
 * CVE-2020-25017), while linkerd2-proxy matches each on its own. Immutable.
 *
 * <pre>{@code
 * MeshRequest request = MeshRequest.of(Map.of("x-flag-checkout", "v2"));
 * MeshRequest post = MeshRequest.builder().method("POST").path("/cart?id=7").header("x-flags", "checkout=v2").build();
 * }</pre>
 */
public final class MeshRequest {
  private final String method;
  private final String path;
  private final String query;
  private final Map<String, String> headers;
  private final Map<String, List<String>> values;

  private MeshRequest(Builder builder) {
    this.method = builder.method;
    int question = builder.path.indexOf('?');
    this.path = question < 0 ? builder.path : builder.path.substring(0, question);
    this.query = question < 0 ? "" : builder.path.substring(question + 1);
    Map<String, String> joined = new HashMap<>();
    Map<String, List<String>> lines = new HashMap<>();
    builder.values.forEach((name, list) -> {
      joined.put(name, String.join(",", list));
      lines.put(name, List.copyOf(list));
    });
    this.headers = Collections.unmodifiableMap(joined);
    this.values = Collections.unmodifiableMap(lines);
  }

  /** A {@code GET /} request with {@code headers}. */
  public static MeshRequest of(Map<String, String> headers) {
    Builder builder = builder();
    headers.forEach(builder::header);
    return builder.build();
  }

  /** A builder for a {@code GET /} request without headers. */
  public static Builder builder() {
    return new Builder();
  }

  /** The HTTP method, uppercase. */
  public String method() {
    return method;
  }

  /** The path without its query, e.g. {@code /cart}. */
  public String path() {
    return path;
  }

  /** The query without {@code '?'}, or an empty string. */
  public String query() {
    return query;
  }

  /**
   * The value of header {@code name} (any case), its values joined with {@code ","} if it was sent
   * several times, or {@code null}.
   */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Each value of header {@code name} (any case), in the order sent; empty if it is absent. */
  public List<String> headerValues(String name) {
    return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The first value of query parameter {@code name} (not decoded), or {@code null}. */
  public String queryParam(String name) {
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : pair.substring(eq + 1);
      }
    }
    return null;
  }

  /** Header name (lowercase) to value; a name not in lowercase is never found, as in Envoy. */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeshRequest r && method.equals(r.method) && path.equals(r.path) && query.equals(r.query)
        && values.equals(r.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, query, values);
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " " + headers;
  }

  /** Builds a {@link MeshRequest}; not thread-safe. */
  public static final class Builder {
    private String method = "GET";
    private String path = "/";
    private final Map<String, List<String>> values = new HashMap<>();

    private Builder() {}

    /** The HTTP method (default {@code GET}). */
    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
      return this;
    }

    /** The path, optionally with a query (default {@code /}); gRPC calls use {@code /package.Service/Method}. */
    public Builder path(String path) {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("path '" + path + "' must start with '/'");
      }
      this.path = path;
      return this;
    }

    /**
     * Adds header {@code name} (lowercased) with {@code value} less its surrounding spaces and
     * tabs; a name added again is another value of the same header, as a header line sent twice.
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(value, "value");
      values.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(trimOws(value));
      return this;
    }

    private static String trimOws(String value) {
      int from = 0;
      int to = value.length();
      while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
        from++;
      }
      while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
        to--;
      }
      return value.substring(from, to);
    }

    /** The request. */
    public MeshRequest build() {
      return new MeshRequest(this);
    }
  }
}
