package dev.flagroute.spring.reactive;

import dev.flagroute.context.FlagContext;
import dev.flagroute.direct.VersionRouting;
import dev.flagroute.direct.VersionTarget;
import java.util.Objects;
import java.util.Optional;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Routes {@code WebClient} requests without a mesh: a request to a service the routes steer
 * ({@code http://reviews:9080/...}) goes to the address of the version its flags route to
 * ({@code http://reviews-v2:9080/...} by the default naming rule). The flags are those in the
 * Reactor context (see {@link FlagReactorContext}), else those current when the request is sent.
 * When that version has no instance (see {@link VersionRouting}) the request is sent once more to
 * the stable version, and the fallback is counted. Use it with {@link FlagStampingExchangeFilter}.
 *
 * <pre>{@code
 * WebClient client = new FlagStampingExchangeFilter(router.codec()).applyTo(WebClient.builder())
 *     .filter(new VersionRoutingExchangeFilter(routing))
 *     .build();
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class VersionRoutingExchangeFilter implements ExchangeFilterFunction {
  private final VersionRouting routing;

  /** Routes by {@code routing}. */
  public VersionRoutingExchangeFilter(VersionRouting routing) {
    this.routing = Objects.requireNonNull(routing, "routing");
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(context -> {
      FlagContext flags = FlagReactorContext.get(context);
      Optional<VersionTarget> routed = routing.target(request.url().getHost(),
          flags.isEmpty() ? FlagContext.current() : flags);
      if (routed.isEmpty()) {
        return next.exchange(request);
      }
      VersionTarget target = routed.get();
      return next.exchange(to(request, target)).onErrorResume(
          failure -> !target.isStable() && VersionRouting.isNoInstance(failure),
          failure -> next.exchange(to(request, routing.fallBack(target, failure))));
    });
  }

  private static ClientRequest to(ClientRequest request, VersionTarget target) {
    return ClientRequest.from(request).url(UriComponentsBuilder.fromUri(request.url()).host(target.address().host())
        .port(target.address().port(request.url().getPort())).build(true).toUri()).build();
  }
}
