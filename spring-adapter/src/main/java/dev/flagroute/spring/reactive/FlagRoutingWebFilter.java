package dev.flagroute.spring.reactive;

import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.http.SpringHttpHeaders;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Routes every inbound WebFlux exchange: decides (edge) or reads (relay) its flags once, then
 * carries them through the rest of the chain in the Reactor context (see
 * {@link FlagReactorContext}) and as the exchange attribute {@link #ATTRIBUTE}. Routing never
 * fails the exchange: a failing targeting-key source evaluates without a key.
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
          return chain.filter(exchange).contextWrite(FlagReactorContext.with(flags));
        });
  }

  @Override
  public int getOrder() {
    return order;
  }
}
