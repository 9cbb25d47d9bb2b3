package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.ExtractSink;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.context.Source;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an inbound request's headers into its {@link FlagContext}. In {@link RoutingMode#EDGE}
 * it drops inbound flag headers and decides every flag through OpenFeature; in
 * {@link RoutingMode#RELAY} it keeps trusted stamped variants exactly and defaults the rest.
 * Never throws on request input. Thread-safe; build one per service and share it.
 *
 * <pre>{@code
 * FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.RELAY).build();
 * FlagContext flags = router.route(headers, HeaderGetter.forMap());
 * try (FlagScope scope = flags.makeCurrent()) {
 *   // outbound calls stamp the same variants
 * }
 * }</pre>
 */
public final class FlagRouter {
  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  private final FlagRoutes routes;
  private final RoutingMode mode;
  private final HeaderCodec codec;
  private final HeaderLimits limits;
  private final RoutingListener listener;
  private final Client client;
  private final Drops drops;
  private final List<Map<String, FlagDecision>> relayed;
  private final List<String> headers;

  private FlagRouter(Builder builder) {
    this.routes = builder.routes;
    this.mode = Objects.requireNonNull(builder.mode, "mode must be set: EDGE or RELAY");
    this.codec = builder.codec;
    this.limits = builder.limits;
    this.listener = builder.listener;
    this.client = builder.client;
    if (mode == RoutingMode.EDGE && client == null) {
      throw new IllegalStateException("EDGE mode needs an OpenFeature client to decide flags: call client(...)");
    }
    this.drops = new Drops(listener);
    this.relayed = routes.asList().stream().map(RelayRead::relayedDecisions).toList();
    this.headers = codec.headerNames(routes);
  }

  /** Starts a router over {@code routes}. */
  public static Builder builder(FlagRoutes routes) {
    return new Builder(routes);
  }

  /** Routes a request whose evaluation context is empty. */
  public <C> FlagContext route(C carrier, HeaderGetter<C> getter) {
    return route(carrier, getter, ImmutableContext.EMPTY);
  }

  /**
   * Routes one inbound request: reads its headers from {@code carrier} and, at the edge, decides
   * every flag for {@code evaluationContext}. Never throws on request input; every flag of the
   * routes has a decision in the result.
   */
  public <C> FlagContext route(C carrier, HeaderGetter<C> getter, EvaluationContext evaluationContext) {
    FlagContext.Builder builder = FlagContext.builder(routes);
    try {
      if (mode == RoutingMode.RELAY) {
        codec.extract(carrier, getter, routes, limits, new RelayRead(relayed, builder, drops, headers));
        builder.fillDefaults(FlagDecision.MISSING);
      } else {
        codec.extract(carrier, getter, routes, limits, untrusted());
        evaluate(builder, evaluationContext);
      }
    } catch (RuntimeException e) {
      log.debug("flag routing failed; every undecided flag takes its default", e);
      builder.fillDefaults("ERROR");
    }
    FlagContext context = builder.build();
    try {
      listener.decided(context);
    } catch (RuntimeException e) {
      log.debug("routing listener failed on decided", e);
    }
    return context;
  }

  private void evaluate(FlagContext.Builder builder, EvaluationContext evaluationContext) {
    for (int i = 0; i < routes.size(); i++) {
      var route = routes.get(i);
      var details = client.getStringDetails(route.key(), route.defaultVariant(), evaluationContext);
      String variant = details.getValue();
      if (details.getErrorCode() == null && route.hasVariant(variant)) {
        builder.put(i, new FlagDecision(variant, Source.EVALUATED, String.valueOf(details.getReason())));
      } else {
        String reason = details.getErrorCode() != null ? "ERROR_" + details.getErrorCode() : "FOREIGN_VARIANT";
        builder.put(i, new FlagDecision(route.defaultVariant(), Source.DEFAULT, reason));
      }
    }
  }

  private ExtractSink untrusted() {
    return new ExtractSink() {
      @Override
      public void flag(int routeIndex, String value) {
        drops.drop(headers.size() == 1 ? headers.get(0) : headers.get(routeIndex), DropReason.UNTRUSTED);
      }

      @Override
      public void dropped(String header, DropReason reason) {
        drops.drop(header, DropReason.UNTRUSTED);
      }
    };
  }

  /** The routes this router decides. */
  public FlagRoutes routes() {
    return routes;
  }

  /** Edge or relay. */
  public RoutingMode mode() {
    return mode;
  }

  /** The codec inbound headers are read with, and outbound headers should be written with. */
  public HeaderCodec codec() {
    return codec;
  }

  /** Configures a {@link FlagRouter}. */
  public static final class Builder {
    private final FlagRoutes routes;
    private RoutingMode mode;
    private HeaderCodec codec = HeaderCodec.perFlag();
    private HeaderLimits limits = HeaderLimits.DEFAULT;
    private RoutingListener listener = RoutingListener.NOOP;
    private Client client;

    private Builder(FlagRoutes routes) {
      this.routes = Objects.requireNonNull(routes, "routes");
    }

    /** Edge or relay; required. */
    public Builder mode(RoutingMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** How flags are read from and written to headers; {@link HeaderCodec#perFlag()} by default. */
    public Builder codec(HeaderCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** Bounds on inbound headers; {@link HeaderLimits#DEFAULT} by default. */
    public Builder limits(HeaderLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Hears decisions and drops, for metrics. */
    public Builder listener(RoutingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The OpenFeature client that decides flags at the edge. */
    public Builder client(Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Builds the router.
     *
     * @throws IllegalStateException if the mode is missing, or EDGE has no client
     */
    public FlagRouter build() {
      return new FlagRouter(this);
    }
  }
}
