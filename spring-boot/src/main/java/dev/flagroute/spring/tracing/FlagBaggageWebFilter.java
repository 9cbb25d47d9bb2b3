package dev.flagroute.spring.tracing;

import dev.flagroute.context.FlagContext;
import dev.flagroute.spring.reactive.FlagRoutingWebFilter;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.reactor.ReactorBaggage;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A WebFilter, after {@link FlagRoutingWebFilter}, that puts the exchange's flags in the Reactor
 * context as tracing baggage for the rest of the chain and tags the exchange's span with them
 * (where the span is current, as with {@code spring.reactor.context-propagation=auto}).
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagBaggageWebFilter implements WebFilter, Ordered {
  private final TracingFlagBaggage baggage;
  private final Tracer tracer;
  private final int order;

  /** Opens {@code baggage} of {@code tracer} for each exchange; runs at {@code order}. */
  public FlagBaggageWebFilter(TracingFlagBaggage baggage, Tracer tracer, int order) {
    this.baggage = Objects.requireNonNull(baggage, "baggage");
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.order = order;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    FlagContext flags = exchange.getAttribute(FlagRoutingWebFilter.ATTRIBUTE);
    if (flags == null || flags.hasNothingToStamp()) {
      return chain.filter(exchange);
    }
    return Mono.fromRunnable(() -> baggage.tag(tracer.currentSpan(), flags))
        .then(chain.filter(exchange))
        .contextWrite(ReactorBaggage.append(baggage.fields(flags)));
  }

  @Override
  public int getOrder() {
    return order;
  }
}
