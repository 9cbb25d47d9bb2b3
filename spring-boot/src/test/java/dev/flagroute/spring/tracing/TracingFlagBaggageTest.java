package dev.flagroute.spring.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.spring.TestRoutes;
import dev.flagroute.spring.reactive.FlagRoutingWebFilter;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.contextpropagation.BaggageToPropagate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/** Baggage fields are named and valued as each codec writes the flags; the WebFlux filter carries them. */
class TracingFlagBaggageTest {
  private static final FlagContext CHECKOUT_V2 = TestRoutes.checkout("v2");

  @Test
  void fieldsAreWhatTheCodecWrites() {
    assertThat(new TracingFlagBaggage(Tracer.NOOP, HeaderCodec.perFlag()).fields(CHECKOUT_V2))
        .containsExactly(Map.entry("x-flag-checkout", "v2"));
    assertThat(new TracingFlagBaggage(Tracer.NOOP, HeaderCodec.combined()).fields(CHECKOUT_V2))
        .containsExactly(Map.entry("x-flags", "checkout=v2"));
    assertThat(new TracingFlagBaggage(Tracer.NOOP, HeaderCodec.baggage()).fields(CHECKOUT_V2))
        .containsExactly(Map.entry("flag.checkout", "v2"));
  }

  @Test
  void theWebFilterPutsTheFieldsInTheReactorContextOfTheRestOfTheChain() {
    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
    exchange.getAttributes().put(FlagRoutingWebFilter.ATTRIBUTE, CHECKOUT_V2);
    List<Object> seen = new ArrayList<>();

    new FlagBaggageWebFilter(new TracingFlagBaggage(Tracer.NOOP, HeaderCodec.perFlag()), Tracer.NOOP, 0)
        .filter(exchange, e -> Mono.deferContextual(context -> {
          context.stream().forEach(entry -> seen.add(entry.getValue()));
          return Mono.empty();
        }))
        .block();

    assertThat(seen).singleElement().isInstanceOfSatisfying(BaggageToPropagate.class,
        baggage -> assertThat(baggage.getBaggage()).containsExactly(Map.entry("x-flag-checkout", "v2")));
  }

  /** A relay's context holding only flags its routes do not define becomes baggage fields too. */
  @Test
  void theWebFilterCarriesACarriedOnlyContext() {
    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
    exchange.getAttributes().put(FlagRoutingWebFilter.ATTRIBUTE,
        FlagContext.builder(FlagRoutes.empty()).carry("payment", "v2").build());
    List<Object> seen = new ArrayList<>();

    new FlagBaggageWebFilter(new TracingFlagBaggage(Tracer.NOOP, HeaderCodec.perFlag()), Tracer.NOOP, 0)
        .filter(exchange, e -> Mono.deferContextual(context -> {
          context.stream().forEach(entry -> seen.add(entry.getValue()));
          return Mono.empty();
        }))
        .block();

    assertThat(seen).singleElement().isInstanceOfSatisfying(BaggageToPropagate.class,
        baggage -> assertThat(baggage.getBaggage()).containsExactly(Map.entry("x-flag-payment", "v2")));
  }

  @Test
  void anExchangeWithoutFlagsPassesUntouched() {
    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
    List<Object> seen = new ArrayList<>();

    new FlagBaggageWebFilter(new TracingFlagBaggage(Tracer.NOOP, HeaderCodec.perFlag()), Tracer.NOOP, 0)
        .filter(exchange, e -> Mono.deferContextual(context -> {
          context.stream().forEach(entry -> seen.add(entry.getValue()));
          return Mono.empty();
        }))
        .block();

    assertThat(seen).isEmpty();
  }
}
