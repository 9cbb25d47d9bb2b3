package dev.flagroute.spring.reactive;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.spring.http.SpringHttpHeaders;
import java.util.Objects;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Stamps a {@link WebClient} request with the flags of the pipeline it runs in: those in the
 * Reactor context (see {@link FlagReactorContext}), else those current when the request was
 * built (captured by {@link #applyTo(WebClient.Builder)}), else those current when it is sent.
 * Flag headers set by hand are replaced; the override-token header is removed from every request
 * ({@link HeaderCodec#strips}); requests without flags otherwise pass untouched. Requests to hosts
 * outside the mesh ({@link HeaderCodec#allowsEgress}) carry no flags, tokens or markers at all.
 *
 * <pre>{@code
 * WebClient client = new FlagStampingExchangeFilter(router.codec()).applyTo(WebClient.builder()).build();
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagStampingExchangeFilter implements ExchangeFilterFunction {
  private static final String CAPTURED = FlagStampingExchangeFilter.class.getName() + ".captured";

  private final HeaderCodec codec;

  /** Stamps with {@code codec}; use the router's. */
  public FlagStampingExchangeFilter(HeaderCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** Adds this filter to {@code builder}, and captures the current flags whenever a request is built. */
  public WebClient.Builder applyTo(WebClient.Builder builder) {
    return builder.defaultRequest(this::capture).filter(this);
  }

  private void capture(WebClient.RequestHeadersSpec<?> request) {
    FlagContext current = FlagContext.current();
    if (!current.hasNothingToStamp()) {
      request.attribute(CAPTURED, current);
    }
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(context -> {
      FlagContext flags = FlagReactorContext.get(context);
      if (flags.hasNothingToStamp()) {
        flags = request.attribute(CAPTURED).map(FlagContext.class::cast).orElseGet(FlagContext::current);
      }
      if (flags.hasNothingToStamp() && !SpringHttpHeaders.carriesFlags(request.headers(), codec)) {
        return next.exchange(request);
      }
      FlagContext stamped = flags;
      String host = request.url().getHost();
      return next.exchange(ClientRequest.from(request)
          .headers(headers -> SpringHttpHeaders.stamp(stamped, host, headers, codec))
          .build());
    });
  }
}
