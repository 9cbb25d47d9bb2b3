package dev.flagroute.mesh;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a mesh rule can see of a request: method, path (with its query) and headers, whose names
 * are lowercased as Envoy stores them; a name given twice is joined with {@code ","}. Immutable.
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

  private MeshRequest(Builder builder) {
    this.method = builder.method;
    int question = builder.path.indexOf('?');
    this.path = question < 0 ? builder.path : builder.path.substring(0, question);
    this.query = question < 0 ? "" : builder.path.substring(question + 1);
    this.headers = Collections.unmodifiableMap(new HashMap<>(builder.headers));
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

  /** The value of header {@code name} (any case), or {@code null}. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
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
        && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, query, headers);
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " " + headers;
  }

  /** Builds a {@link MeshRequest}; not thread-safe. */
  public static final class Builder {
    private String method = "GET";
    private String path = "/";
    private final Map<String, String> headers = new HashMap<>();

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

    /** Adds header {@code name} (lowercased); a repeated name is joined to the earlier value with {@code ","}. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(value, "value");
      headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
      return this;
    }

    /** The request. */
    public MeshRequest build() {
      return new MeshRequest(this);
    }
  }
}
