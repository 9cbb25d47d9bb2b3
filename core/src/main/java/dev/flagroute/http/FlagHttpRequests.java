package dev.flagroute.http;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stamps the current {@link FlagContext} on {@code java.net.http} requests, which have no
 * interceptors. Requests made outside any context are returned untouched.
 *
 * <pre>{@code
 * HttpRequest request = FlagHttpRequests.stamp(HttpRequest.newBuilder(uri).build(), router.codec());
 * httpClient.send(request, BodyHandlers.ofString());
 * }</pre>
 */
public final class FlagHttpRequests {
  private FlagHttpRequests() {}

  /**
   * A copy of {@code request} carrying the current context's flag headers, with any flag headers
   * it had removed (W3C baggage members of other owners are kept).
   */
  public static HttpRequest stamp(HttpRequest request, HeaderCodec codec) {
    FlagContext context = FlagContext.current();
    if (context.isEmpty()) {
      return request;
    }
    Map<String, String> stamped = new LinkedHashMap<>();
    codec.inject(context, stamped, new HeaderSetter<>() {
      @Override
      public void set(Map<String, String> carrier, String name, String value) {
        carrier.put(name, value);
      }

      @Override
      public String get(Map<String, String> carrier, String name) {
        var values = request.headers().allValues(name);
        return values.isEmpty() ? null : String.join(",", values);
      }
    });
    HttpRequest.Builder builder = HttpRequest.newBuilder(request,
        (name, value) -> !codec.owns(name) && !stamped.containsKey(name.toLowerCase(Locale.ROOT)));
    stamped.forEach(builder::setHeader);
    return builder.build();
  }

  /**
   * Sets the current context's flag headers on {@code builder}, replacing values of the same
   * names. Prefer {@link #stamp(HttpRequest, HeaderCodec)} with the baggage codec: a builder
   * cannot be read, so baggage members set earlier on it are replaced.
   */
  public static HttpRequest.Builder stamp(HttpRequest.Builder builder, HeaderCodec codec) {
    codec.inject(FlagContext.current(), builder, HttpRequest.Builder::setHeader);
    return builder;
  }
}
