package dev.flagroute.jdkhttp;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stamps the current {@link FlagContext} on {@code java.net.http} requests, which have no
 * interceptors, and strips the override-token header from them. Requests to hosts outside the mesh
 * ({@link HeaderCodec#allowsEgress}) carry no flags, tokens or markers at all.
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
   * it had removed (W3C baggage members of other owners are kept), and without the override-token
   * header ({@link HeaderCodec#strips}). Outside any context only that header is removed: a request
   * without one is returned as it is. A request to a host outside the mesh loses every header the
   * codec strips, flag headers included, and is stamped with nothing.
   */
  public static HttpRequest stamp(HttpRequest request, HeaderCodec codec) {
    FlagContext context = FlagContext.current();
    HttpRequest withoutFlags = context.hasNothingToStamp() ? withoutFlags(request, codec) : null;
    if (withoutFlags == request) {
      return request;
    }
    if (!codec.allowsEgress(request.uri().getHost())) {
      return withoutFlags != null ? withoutFlags : withoutFlags(request, codec);
    }
    if (context.hasNothingToStamp()) {
      boolean token = request.headers().map().keySet().stream()
          .anyMatch(name -> codec.strips(name) && !codec.owns(name));
      return !token ? request
          : HttpRequest.newBuilder(request, (name, value) -> !codec.strips(name) || codec.owns(name)).build();
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
        (name, value) -> !codec.strips(name) && !stamped.containsKey(name.toLowerCase(Locale.ROOT)));
    stamped.forEach(builder::setHeader);
    return builder.build();
  }

  /**
   * Sets the current context's flag headers on {@code builder}, replacing values of the same
   * names, when {@code uri}, the URI it is built for, is a mesh host's. Prefer
   * {@link #stamp(HttpRequest, HeaderCodec)}: a builder can be neither read nor have headers
   * removed, so baggage members set earlier on it are replaced, and an override token or flag
   * header set earlier on it is not stripped, not even for a host outside the mesh.
   */
  public static HttpRequest.Builder stamp(HttpRequest.Builder builder, URI uri, HeaderCodec codec) {
    FlagContext context = FlagContext.current();
    if (!context.hasNothingToStamp() && codec.allowsEgress(uri.getHost())) {
      codec.inject(context, builder, HttpRequest.Builder::setHeader);
    }
    return builder;
  }

  /** {@code request} without flags, tokens and markers ({@link HeaderCodec#withoutFlags}). */
  private static HttpRequest withoutFlags(HttpRequest request, HeaderCodec codec) {
    Map<String, String> changed = new LinkedHashMap<>();
    request.headers().map().forEach((name, values) -> {
      String value = String.join(",", values);
      String kept = codec.withoutFlags(name, value);
      if (!value.equals(kept)) {
        changed.put(name.toLowerCase(Locale.ROOT), kept);
      }
    });
    if (changed.isEmpty()) {
      return request;
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(request,
        (name, value) -> !changed.containsKey(name.toLowerCase(Locale.ROOT)));
    changed.forEach((name, kept) -> {
      if (kept != null) {
        builder.setHeader(name, kept);
      }
    });
    return builder.build();
  }
}
