package dev.flagroute.spring.reactive;

import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.RequestContextSpec;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.spring.http.SpringHttpHeaders;
import dev.openfeature.sdk.EvaluationContext;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Routes every inbound WebFlux exchange: decides (edge) or reads (relay) its flags once, then
 * carries them through the rest of the chain in the Reactor context (see
 * {@link FlagReactorContext}) and as the exchange attribute {@link #ATTRIBUTE}. When the exchange
 * ends, its outcome (failed on an error signal or a status from 500 to 599) is reported to
 * {@link FlagRouter#completed}. Routing never fails the exchange: a failing targeting-key source
 * evaluates without a key.
 *
 * <p>Later filters and handlers get the exchange with the inbound headers an application should
 * see, as behind the servlet filter and the gRPC interceptor: the flag headers of the router's
 * codec show the decided variants; every other header a codec could read a flag from
 * ({@code x-flag-*}, {@code x-flags}, the {@code flag.} members of {@code baggage}) is removed, so is
 * the override token, and the rest is as sent. Code that copies inbound headers onto outbound calls
 * then copies the decision, never a spoof or a bearer token. Header names match in any case. The
 * view is read-only, like any inbound request's headers (a later filter changes them with
 * {@code exchange.mutate()}), and is not a copy: a header shown as sent is read from the inbound
 * request, and the rest is worked out once per exchange, when first asked for. Exchanges passed by
 * unrouted ({@link Builder#bypass}) keep their headers as sent.
 *
 * <pre>{@code
 * FlagRoutingWebFilter filter = FlagRoutingWebFilter.builder(router)
 *     .targetingKey(ReactiveTargetingKeySource.header("x-user-id"))
 *     .attributeFromHeader("tenant", "x-tenant-id")
 *     .build();
 * }</pre>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class FlagRoutingWebFilter implements WebFilter, Ordered {
  /** The exchange attribute holding the exchange's {@link FlagContext}. */
  public static final String ATTRIBUTE = FlagContext.class.getName();
  /** The default order: early, so that later filters and handlers see the flags. */
  public static final int DEFAULT_ORDER = -105;

  private static final Logger log = LoggerFactory.getLogger(FlagRoutingWebFilter.class);

  private final FlagRouter router;
  private final ReactiveTargetingKeySource targetingKey;
  private final RequestContextSpec spec;
  private final Predicate<ServerWebExchange> bypass;
  private final int order;
  private final InboundView view;

  /** Routes with {@code router}, taking each exchange's targeting key from {@code targetingKey}. */
  public FlagRoutingWebFilter(FlagRouter router, ReactiveTargetingKeySource targetingKey, int order) {
    this(builder(router).targetingKey(targetingKey).order(order));
  }

  private FlagRoutingWebFilter(Builder builder) {
    this.router = builder.router;
    this.targetingKey = builder.targetingKey;
    this.spec = RequestContextSpec.of(null, builder.attributeHeaders);
    this.bypass = builder.bypass;
    this.order = builder.order;
    this.view = InboundView.of(router.codec());
  }

  /** Starts a filter that routes with {@code router}. */
  public static Builder builder(FlagRouter router) {
    return new Builder(router);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (bypass.test(exchange)) {
      return chain.filter(exchange);
    }
    Mono<String> key = targetingKey.targetingKey(exchange);
    if (key instanceof Fuseable.ScalarCallable<?> known) {
      // Mono.just or Mono.empty, as the header and cookie sources answer: the key is known now
      return routed(exchange, chain, known(known));
    }
    return key.map(Optional::of)
        .onErrorResume(e -> {
          log.debug("targeting key source failed; evaluating without a key", e);
          return Mono.empty();
        })
        .defaultIfEmpty(Optional.empty())
        .flatMap(found -> routed(exchange, chain, found.orElse(null)));
  }

  /** The value of a targeting key already known, or null for none or a failed source. */
  private static String known(Fuseable.ScalarCallable<?> key) {
    try {
      return (String) key.call();
    } catch (Exception e) {
      log.debug("targeting key source failed; evaluating without a key", e);
      return null;
    }
  }

  /** Routes {@code exchange} with targeting key {@code key} (or none) and runs the rest of the chain. */
  private Mono<Void> routed(ServerWebExchange exchange, WebFilterChain chain, String key) {
    ServerHttpRequest request = exchange.getRequest();
    HttpHeaders inbound = request.getHeaders();
    EvaluationContext evaluation = spec.read(inbound, SpringHttpHeaders.getter(), key);
    FlagContext flags = router.route(inbound, SpringHttpHeaders.getter(), evaluation, request.getURI().getHost());
    exchange.getAttributes().put(ATTRIBUTE, flags);
    long started = System.nanoTime();
    return chain.filter(new ShownExchange(exchange, ShownHeaders.of(inbound, view, flags)))
        .contextWrite(FlagReactorContext.with(flags))
        .doFinally(signal -> router.completed(flags, outcome(exchange, signal, started, evaluation.getTargetingKey())));
  }

  /** How the exchange routed at {@code started} ended, seen by its targeting key or else its client's address. */
  private static RequestOutcome outcome(ServerWebExchange exchange, SignalType signal, long started, String key) {
    String client = key == null || key.isEmpty() ? clientAddress(exchange) : null;
    return RequestOutcome.since(started, failed(signal, exchange)).seenBy(key, client);
  }

  /** An error signal, or a server error by core's rule (a cancel is the client giving up). */
  private static boolean failed(SignalType signal, ServerWebExchange exchange) {
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    return signal == SignalType.ON_ERROR || status != null && RequestOutcome.serverFault(status.value());
  }

  /** The client's IP address, the identity the rollout guard counts a request without targeting key as. */
  private static String clientAddress(ServerWebExchange exchange) {
    InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
    return remote == null ? null : remote.getAddress() == null ? remote.getHostString()
        : remote.getAddress().getHostAddress();
  }

  @Override
  public int getOrder() {
    return order;
  }

  /** Configures a {@link FlagRoutingWebFilter}. */
  public static final class Builder {
    private final FlagRouter router;
    private ReactiveTargetingKeySource targetingKey = ReactiveTargetingKeySource.none();
    private final Map<String, String> attributeHeaders = new LinkedHashMap<>();
    private Predicate<ServerWebExchange> bypass = exchange -> false;
    private int order = DEFAULT_ORDER;

    private Builder(FlagRouter router) {
      this.router = Objects.requireNonNull(router, "router");
    }

    /** Where each exchange's targeting key comes from; none by default. */
    public Builder targetingKey(ReactiveTargetingKeySource source) {
      this.targetingKey = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Adds evaluation attribute {@code attribute} from request header {@code header} when the
     * exchange has it. Name the attribute in the router's cache-key attributes too.
     */
    public Builder attributeFromHeader(String attribute, String header) {
      attributeHeaders.put(Objects.requireNonNull(attribute, "attribute"), Objects.requireNonNull(header, "header"));
      return this;
    }

    /** Exchanges that pass unrouted, such as the actuator's; none by default. */
    public Builder bypass(Predicate<ServerWebExchange> exchanges) {
      this.bypass = Objects.requireNonNull(exchanges, "exchanges");
      return this;
    }

    /** The filter's order; {@link #DEFAULT_ORDER} by default. */
    public Builder order(int order) {
      this.order = order;
      return this;
    }

    /** The filter. */
    public FlagRoutingWebFilter build() {
      return new FlagRoutingWebFilter(this);
    }
  }
}
