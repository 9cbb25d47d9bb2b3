package dev.flagroute.spring.http;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import java.io.IOException;
import java.util.Objects;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A {@link ClientHttpRequestInterceptor} for {@code RestClient} and {@code RestTemplate} that
 * stamps the current {@link FlagContext} on every request, replacing flag headers set by hand, and
 * removes the override-token header from every request ({@link HeaderCodec#strips}). Requests made
 * outside any context otherwise pass untouched. Requests to hosts outside the mesh
 * ({@link HeaderCodec#allowsEgress}) carry no flags, tokens or markers at all.
 *
 * <pre>{@code
 * RestClient client = RestClient.builder()
 *     .requestInterceptor(new FlagStampingRequestInterceptor(router.codec()))
 *     .build();
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagStampingRequestInterceptor implements ClientHttpRequestInterceptor {
  private final HeaderCodec codec;

  /** Stamps with {@code codec}; use the router's. */
  public FlagStampingRequestInterceptor(HeaderCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    SpringHttpHeaders.stamp(FlagContext.current(), request.getURI().getHost(), request.getHeaders(), codec);
    return execution.execute(request, body);
  }
}
