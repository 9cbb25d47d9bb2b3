package dev.flagroute.spring.reactive;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.http.SpringHttpHeaders;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Routes every inbound WebFlux exchange: decides (edge) or reads (relay) its flags once, then
 * carries them through the rest of the chain in the Reactor context (see
 * {@link FlagReactorContext}) and as the exchange attribute {@link #ATTRIBUTE}. When the exchange
 * ends, its outcome (failed on an error signal or a status of 500 or more) is reported to
 * {@link FlagRouter#completed}. Routing never fails the exchange: a failing targeting-key source
 * evaluates without a key.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagRoutingWebFilter implements WebFilter, Ordered {
  /** The exchange attribute holding the exchange's {@link FlagContext}. */
  public static final String ATTRIBUTE = FlagContext.class.getName();

  private static final Logger log = LoggerFactory.getLogger(FlagRoutingWebFilter.class);

  private final FlagRouter router;
  private final ReactiveTargetingKeySource targetingKey;
  private final int order;

  /** Routes with {@code router}, taking each exchange's targeting key from {@code targetingKey}. */
  public FlagRoutingWebFilter(FlagRouter router, ReactiveTargetingKeySource targetingKey, int order) {
    this.router = Objects.requireNonNull(router, "router");
    this.targetingKey = Objects.requireNonNull(targetingKey, "targetingKey");
    this.order = order;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return targetingKey.targetingKey(exchange)
        .<EvaluationContext>map(ImmutableContext::new)
        .onErrorResume(e -> {
          log.debug("targeting key source failed; evaluating without a key", e);
          return Mono.empty();
        })
        .defaultIfEmpty(ImmutableContext.EMPTY)
        .flatMap(evaluationContext -> {
          FlagContext flags = router.route(exchange.getRequest().getHeaders(), SpringHttpHeaders.getter(),
              evaluationContext);
          exchange.getAttributes().put(ATTRIBUTE, flags);
          long started = System.nanoTime();
          return chain.filter(exchange).contextWrite(FlagReactorContext.with(flags))
              .doFinally(signal -> router.completed(flags, RequestOutcome.since(started, failed(signal, exchange))));
        });
  }

  /** An error signal, or a status of 500 or more. */
  private static boolean failed(SignalType signal, ServerWebExchange exchange) {
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    return signal == SignalType.ON_ERROR || status != null && status.is5xxServerError();
  }

  @Override
  public int getOrder() {
    return order;
  }
}
