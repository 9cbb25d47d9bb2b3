package dev.flagroute.spring.feign;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.spring.http.SpringHttpHeaders;
import feign.RequestInterceptor;
import feign.RequestTemplate;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpHeaders;

/**
 * A Feign {@link RequestInterceptor} that stamps the current {@link FlagContext} on every request,
 * exactly as the RestClient interceptor does (flag headers set by hand are replaced; other W3C
 * baggage members are kept; the override token is removed). Requests made outside any context
 * otherwise pass untouched. Requests to hosts outside the mesh ({@link HeaderCodec#allowsEgress}), by the request's
 * URL or else its target's, carry no flags, tokens or markers at all. Spring Cloud
 * OpenFeign applies {@code RequestInterceptor} beans to every client, so the starter's bean is all
 * a Feign client needs.
 *
 * <pre>{@code
 * Reviews reviews = Feign.builder().requestInterceptor(new FlagStampingFeignInterceptor(router.codec()))
 *     .target(Reviews.class, "http://reviews");
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagStampingFeignInterceptor implements RequestInterceptor {
  private final HeaderCodec codec;

  /** Stamps with {@code codec}; use the router's. */
  public FlagStampingFeignInterceptor(HeaderCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  @Override
  public void apply(RequestTemplate template) {
    HttpHeaders headers = new HttpHeaders();
    template.headers().forEach((name, values) -> headers.addAll(name, List.copyOf(values)));
    SpringHttpHeaders.stamp(FlagContext.current(), host(template), headers, codec);
    for (Map.Entry<String, Collection<String>> header : Map.copyOf(template.headers()).entrySet()) {
      List<String> stamped = headers.get(header.getKey());
      if (stamped == null || !stamped.equals(List.copyOf(header.getValue()))) {
        template.removeHeader(header.getKey());
      }
    }
    for (String name : headers.headerNames()) {
      if (!template.headers().containsKey(name)) {
        // literal: Feign would read '{' in a value as a template expression
        template.headerLiteral(name, headers.get(name));
      }
    }
  }

  /** The host the request goes to: its own URL's when absolute, else its target's; null when unknown. */
  private static String host(RequestTemplate template) {
    String url = template.url();
    if (!url.startsWith("http") && template.feignTarget() != null) {
      url = template.feignTarget().url();
    }
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
