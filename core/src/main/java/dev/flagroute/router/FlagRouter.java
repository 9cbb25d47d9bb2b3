package dev.flagroute.router;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.internal.WireNames;
import dev.flagroute.internal.access.CodecAccess;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.verdict.Verdict;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an inbound request into its {@link FlagContext}. Never throws on request input, and never
 * fails a request because of flag routing: whatever goes wrong, every flag gets a variant. A
 * provider or listener that throws, an exception or an {@link Error} such as
 * {@code AssertionError} or {@code LinkageError}, costs the flags their evaluated variants, never
 * the request, and so does a {@code StackOverflowError} or {@code InternalError}; the one exception
 * is {@code OutOfMemoryError} (and {@code ThreadDeath}), which {@code route} lets through rather than
 * hide a process that cannot go on behind default variants.
 * Thread-safe; build one per service and share it.
 *
 * <p>In {@link RoutingMode#EDGE} inbound flag headers are untrusted: they are dropped (reported as
 * {@link DropReason#UNTRUSTED}) and every flag is evaluated through the OpenFeature client. Only a
 * valid signed override token ({@link Builder#overrides}) forces variants, for testers. In
 * {@link RoutingMode#RELAY} stamped variants are kept exactly; missing flags take their default,
 * or are evaluated with {@link Builder#evaluateMissing}.
 *
 * <p>Evaluations are cached (see {@link Builder#cache}): one entry per targeting key and the
 * values of every attribute of the evaluation context but those declared irrelevant to routing
 * (the rule is stated at {@link Builder#cacheKeyAttributes}), holding every flag's decision, so a
 * hit costs one lookup. The cache is cleared when the provider reports
 * a configuration change. Failed evaluations (provider error or exception, error result, provider
 * not ready, a value that is not a string or not a variant, a missed {@link Builder#deadline})
 * give the default variant with the reason, are reported to the listener, logged as a warning at
 * most once per flag per minute, and never cached.
 *
 * <p>An edge router may guard flags ({@link Builder#guard}): adapters report how each request
 * ended ({@link #completed}), and a non-default variant that fails much more than the default is
 * held back, its requests given the default, until probes show it healthy again. The guard acts
 * after the cache, whose entries keep the provider's decisions, and before override tokens, which
 * still force any variant.
 *
 * <p>An edge router also judges variants and runs ramps: with {@link Builder#verdicts}, and for
 * every flag whose routes declare a {@link dev.flagroute.routes.Ramp}, it compares each variant
 * with the default ({@link #verdicts()}) and caps the provider's decisions to each ramp's current
 * share of users ({@link #ramps()}), rolling a ramp back when its variant turns WORSE. This too
 * acts after the cache and before override tokens.
 *
 * <p>Shadows (dark launches): in {@link RoutingMode#RELAY} a request is a mirrored copy, and its
 * context {@link FlagContext#isShadow() a shadow}, when the authority passed to
 * {@link #route(Object, HeaderGetter, EvaluationContext, String)} has a host ending in
 * {@code -shadow} (as Envoy, so Istio and Envoy-based Gateway API implementations, writes it on the
 * copies it mirrors) or the request carries the shadow marker header ({@link Builder#shadowHeader},
 * {@code 1} or {@code true}; any other value is dropped and reported). The router's
 * {@link #codec()} stamps the marker on calls made from a shadow context and strips it from every
 * other call, so the next hop knows. In {@link RoutingMode#EDGE} no request is a shadow: a client
 * chooses its own Host and headers, and could otherwise have its request's side effects skipped
 * while it still gets the response; an inbound marker is dropped as {@link DropReason#UNTRUSTED}
 * and a {@code -shadow} authority is ignored. Shadows' outcomes never count towards the rollout
 * guard.
 *
 * <pre>{@code
 * FlagRouter router = FlagRouter.builder(routes)
 *     .mode(RoutingMode.EDGE)
 *     .client(OpenFeatureAPI.getInstance().getClient())
 *     .cacheKeyAttributes("country")
 *     .build();
 * FlagContext flags = router.route(headers, HeaderGetter.forMap(), new ImmutableContext(userId));
 * try (FlagScope scope = flags.makeCurrent()) {
 *   // outbound calls stamp the same variants
 * }
 * }</pre>
 */
public final class FlagRouter {
  /** Cache entries kept unless configured: 10,000. */
  public static final long DEFAULT_CACHE_SIZE = 10_000;
  /** How long a cached decision lives unless configured: one minute. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(1);
  /** The header carrying an override token unless configured: {@code x-flagroute-override}. */
  public static final String DEFAULT_OVERRIDE_HEADER = WireNames.OVERRIDE_HEADER;
  /** The header carrying the shadow marker unless configured: {@code x-flagroute-shadow}. */
  public static final String DEFAULT_SHADOW_HEADER = WireNames.SHADOW_HEADER;
  /** The reason of a variant forced by an override token. */
  public static final String OVERRIDE_REASON = "OVERRIDE";

  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  private final FlagRoutes routes;
  private final RoutingMode mode;
  private final HeaderCodec codec;
  private final Events events;
  /** The rollout guard, or null when no flag is guarded. */
  private final RolloutGuard guard;
  /** The verdicts and ramps, or null when no flag has either or in RELAY mode. */
  private final Rollouts rollouts;
  private final RoutePipeline pipeline;

  private FlagRouter(Builder builder) {
    builder.check();
    this.routes = builder.routes;
    this.mode = builder.mode;
    this.codec = CodecAccess.bind(builder.codec, routes, builder.limits, builder.overrideHeader,
        builder.shadowHeader);
    Clock clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
    this.events = new Events(builder.listener, clock, routes.size(), builder.reportForeignHeaders);
    EdgeEvaluator evaluator = mode == RoutingMode.EDGE || builder.evaluateMissing
        ? evaluator(builder, clock, events) : null;
    this.guard = builder.guards.isEmpty() ? null : RolloutGuard.of(routes, builder.guards, clock,
        events::guardChanged);
    Rollouts made = mode != RoutingMode.EDGE ? null
        : Rollouts.of(routes, builder.verdicts, clock, events::verdictChanged, events::rampChanged);
    this.rollouts = made == null || made.isEmpty() ? null : made;
    this.pipeline = mode == RoutingMode.EDGE
        ? new EdgePipeline(routes, codec, events, evaluator, builder.overrides, builder.overrideHeader,
            builder.shadowHeader, guard, rollouts)
        : new RelayPipeline(routes, codec, events, evaluator, builder.shadowHeader, builder.limits,
            builder.misroutes);
  }

  private static EdgeEvaluator evaluator(Builder builder, Clock clock, Events events) {
    DecisionCache cache = null;
    if (builder.cacheSize > 0) {
      Ticker ticker = builder.clock == null ? Ticker.systemTicker()
          : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
      cache = new DecisionCache(builder.cacheSize, builder.cacheTtl, builder.cacheKeyAttributes.toArray(String[]::new),
          builder.cacheIgnoredAttributes.toArray(String[]::new), ticker);
    }
    return new EdgeEvaluator(builder.routes, builder.client, events, cache, builder.deadline, clock,
        new IgnoredAttributes(builder.cacheIgnoredAttributes));
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
   * Routes one inbound request whose authority is unknown: as
   * {@link #route(Object, HeaderGetter, EvaluationContext, String)} with a null authority, so a
   * relay recognises a shadow by the marker header only.
   */
  public <C> FlagContext route(C carrier, HeaderGetter<C> getter, EvaluationContext evaluationContext) {
    return route(carrier, getter, evaluationContext, null);
  }

  /**
   * Routes one inbound request: reads its headers from {@code carrier} and decides the flags they
   * do not carry (at the edge: every flag) for {@code evaluationContext}. Never throws on request
   * input; every flag of the routes has a decision in the result.
   *
   * <p>Pass the request's whole evaluation context here: evaluations see it merged with the
   * OpenFeature API and client contexts, and the cache is keyed on it, not on the transaction
   * context. Pass its {@code authority} (the {@code Host} header or HTTP/2 {@code :authority}, the
   * gRPC call's authority; null if unknown): a relay takes a host ending in {@code -shadow} for a
   * mirrored copy, and the result is then a {@linkplain FlagContext#isShadow() shadow}.
   */
  public <C> FlagContext route(C carrier, HeaderGetter<C> getter, EvaluationContext evaluationContext,
      String authority) {
    FlagContext flags = pipeline.route(carrier, getter,
        evaluationContext == null ? ImmutableContext.EMPTY : evaluationContext, authority);
    events.decided(flags);
    return flags;
  }

  /**
   * Reports how a request routed to {@code flags} ended: adapters call this once per request,
   * when it completes (after async processing, when the call closes). The listener hears it, and
   * at the edge the rollout guard and the verdicts count it, unless {@code flags} is a shadow: no
   * user saw that response, so it says nothing about what users get. Never throws.
   */
  public void completed(FlagContext flags, RequestOutcome outcome) {
    if (flags == null || outcome == null) {
      return;
    }
    if (guard != null && !flags.isShadow()) {
      try {
        guard.record(flags, outcome);
      } catch (RuntimeException e) {
        log.debug("rollout guard failed to count an outcome", e);
      }
    }
    if (rollouts != null && !flags.isShadow()) {
      try {
        rollouts.record(flags, outcome.failed(), outcome.latency());
      } catch (RuntimeException e) {
        log.debug("verdicts failed to count an outcome", e);
      }
    }
    events.completed(flags, outcome);
  }

  /** The state of every guarded variant, in route order; empty when no flag is guarded. */
  public List<GuardStatus> guardStatus() {
    return guard == null ? List.of() : guard.status();
  }

  /**
   * The operator's controls of the rollout guard: force a guarded variant off, back on, or reset
   * its guard; each action is reported to the listener. Every action is refused when no flag is
   * guarded.
   */
  public GuardOperator guardOperator() {
    return new GuardOperator(guard);
  }

  /**
   * The verdict of every non-default variant of every judged flag (see {@link Builder#verdicts}
   * and ramps in the routes), in route order; empty when none is judged or in RELAY mode.
   */
  public List<Verdict> verdicts() {
    return rollouts == null ? List.of() : rollouts.verdicts();
  }

  /** Where every ramped variant stands now, in route order; empty when no ramp is declared or in RELAY mode. */
  public List<RampStatus> ramps() {
    return rollouts == null ? List.of() : rollouts.ramps();
  }

  /** The routes this router decides. */
  public FlagRoutes routes() {
    return routes;
  }

  /** Edge or relay. */
  public RoutingMode mode() {
    return mode;
  }

  /**
   * The codec inbound headers are read with, bound to these routes: write outbound headers with it,
   * which needs no lookup per flag for contexts of these routes. It also knows this router's
   * override header, which outbound stamping strips from every call ({@link HeaderCodec#strips}).
   */
  public HeaderCodec codec() {
    return codec;
  }

  /**
   * Configures a {@link FlagRouter}: each option is checked as it is set, and the rules across
   * options (a client where flags are evaluated, overrides, guards and verdicts at the edge only,
   * distinct header names, no attribute both in and out of the cache key) when it builds.
   */
  public static final class Builder extends RouterSetup {
    private Builder(FlagRoutes routes) {
      super(routes);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the router.
     *
     * @throws IllegalStateException if the mode is missing, a client is needed but missing,
     *     overrides, guards or verdicts are set outside EDGE, or the override or shadow header is a
     *     flag header of the codec
     */
    public FlagRouter build() {
      return new FlagRouter(this);
    }
  }
}
