package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.internal.WireNames;
import dev.flagroute.evaluation.WarmUpReport;
import dev.flagroute.observe.CodecMismatch;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutesChange;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.InvalidRoutesException;
import dev.flagroute.verdict.Verdict;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an inbound request into its {@link FlagContext}. Never throws on request input, and never
 * fails a request because of flag routing: a provider or listener that throws (any exception or
 * {@link Error} but {@code OutOfMemoryError} and {@code ThreadDeath}) costs the flags their
 * evaluated variants, never the request. Thread-safe; build one per service and share it.
 *
 * <p>In {@link RoutingMode#EDGE} inbound flag headers are untrusted: they are dropped (reported as
 * {@link DropReason#UNTRUSTED}) and every flag is evaluated through the OpenFeature client. Only a
 * valid signed override token ({@link Builder#overrides}) forces variants, for testers. In
 * {@link RoutingMode#RELAY} stamped variants are kept exactly; missing flags take their default,
 * or are evaluated with {@link Builder#evaluateMissing}. A relay carries on what it does not route,
 * unchanged and within its {@code HeaderLimits}: flags its routes do not define
 * ({@link FlagContext#carried()}) and variants they do not list (reported, and seen by the
 * application with reason {@code UNKNOWN_VARIANT}). Flag headers of another codec than its own are
 * not read but reported ({@link #codecMismatches()}, a warning a minute naming both codecs).
 *
 * <p>Evaluations are cached ({@link Builder#cache}, keyed as {@link Builder#cacheKeyAttributes}
 * states); failed evaluations give the default variant with the reason, are reported to the
 * listener, warned about at most once per flag a minute, and never cached. After the cache, an
 * edge router may hold back a failing variant ({@link Builder#guard}, fed by {@link #completed}),
 * judge variants against the default ({@link #verdicts()}) and cap each declared ramp's share of
 * users ({@link #ramps()}); override tokens act last.
 *
 * <p>Shadows (dark launches): in {@link RoutingMode#RELAY} a request is a mirrored copy
 * ({@link FlagContext#isShadow()}) when its authority's host ends in {@code -shadow}, as Envoy
 * writes it, or it carries the marker header ({@link Builder#shadowHeader}); {@link #codec()}
 * passes the marker on from shadow contexts only. An edge trusts neither, and shadows' outcomes
 * never count towards the guard.
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

  /** The options, frozen at build, that reloaded routes are built with. */
  private final Builder setup;
  /** What is built over the routes in force; swapped whole by {@link #reload}. */
  private volatile RouterState state;

  private FlagRouter(Builder builder) {
    builder.check();
    this.setup = builder.copyFor(builder.routes);
    this.state = new RouterState(setup);
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
    RouterState current = state;
    FlagContext flags = current.pipeline.route(carrier, getter,
        evaluationContext == null ? ImmutableContext.EMPTY : evaluationContext, authority);
    current.events.decided(flags);
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
    RouterState current = state;
    if (current.routes == flags.routes() && !flags.isShadow()) {
      current.count(flags, outcome);
    }
    current.events.completed(flags, outcome);
  }

  /** The state of every guarded variant, in route order; empty when no flag is guarded. */
  public List<GuardStatus> guardStatus() {
    RolloutGuard guard = state.guard;
    return guard == null ? List.of() : guard.status();
  }

  /**
   * The operator's controls of the rollout guard: force a guarded variant off, back on, or reset
   * its guard; each action is reported to the listener, and acts on the routes in force (a
   * {@link #reload} forgets it). Every action is refused when no flag is guarded.
   */
  public GuardOperator guardOperator() {
    return new GuardOperator(() -> state.guard);
  }

  /**
   * The verdict of every non-default variant of every judged flag (see {@link Builder#verdicts}
   * and ramps in the routes), in route order; empty when none is judged or in RELAY mode.
   */
  public List<Verdict> verdicts() {
    Rollouts rollouts = state.rollouts;
    return rollouts == null ? List.of() : rollouts.verdicts();
  }

  /** Where every ramped variant stands now, in route order; empty when no ramp is declared or in RELAY mode. */
  public List<RampStatus> ramps() {
    Rollouts rollouts = state.rollouts;
    return rollouts == null ? List.of() : rollouts.ramps();
  }

  /**
   * How many requests to this relay carried flag headers of another codec or prefix than its own
   * ({@link CodecMismatch}), since it was built; always 0 at the edge, where every inbound flag
   * header is untrusted anyway.
   */
  public long codecMismatches() {
    return state.events.codecMismatches();
  }

  /** The last codec mismatch this relay saw, if any: for health checks. */
  public Optional<CodecMismatch> lastCodecMismatch() {
    return Optional.ofNullable(state.events.lastCodecMismatch());
  }

  /** The routes this router decides now: those it was built with, or the last accepted {@link #reload}. */
  public FlagRoutes routes() {
    return state.routes;
  }

  /** Edge or relay. */
  public RoutingMode mode() {
    return setup.mode;
  }

  /**
   * Puts {@code routes} in force for requests routed from now on, as if the router had been built
   * with them; a request already routed keeps the routes it started with (its {@link FlagContext}
   * holds them). The swap is one write: a request sees the old routes or the new, never a mix.
   * All that is built over the routes starts afresh: caches, warning limits, the rollout guard's
   * counts and operator actions, and the verdicts' evidence; a ramp resumes its schedule, anchored
   * in the new routes, but not a rollback. Each variant so released (guard not closed, verdict
   * WORSE) is named in a warning. Never throws: new routes
   * that cannot be used (a guarded flag missing, say) are refused, the routes in force stay, and
   * the refusal is logged as a warning and heard by the listeners, like an accepted change.
   *
   * @param source names the new routes in logs, such as a file name
   */
  public RoutesChange reload(FlagRoutes routes, String source) {
    return reload(source, () -> routes);
  }

  /**
   * As {@link #reload(FlagRoutes, String)}, with the routes loaded by {@code loader}; what it throws
   * (an {@link InvalidRoutesException}, an I/O failure) refuses the change, and the routes in force
   * stay.
   */
  public synchronized RoutesChange reload(String source, Supplier<FlagRoutes> loader) {
    RouterState old = state;
    RoutesChange change;
    try {
      RouterState next = new RouterState(setup.copyFor(Objects.requireNonNull(loader.get(), "routes")));
      state = next;
      change = new RoutesChange(source, next.routes, List.of());
      log.info("routes from {} in force: {} flags (were {})", source, next.routes.size(), old.routes.size());
      List<String> released = old.heldBack();
      if (!released.isEmpty()) {
        log.warn("routes from {} in force: guard and verdicts start afresh, releasing {}", source, released);
      }
      next.events.routesChanged(change);
    } catch (RuntimeException e) {
      List<String> problems = e instanceof InvalidRoutesException invalid ? invalid.problems()
          : List.of(String.valueOf(e.getMessage()));
      change = new RoutesChange(source, old.routes, problems.isEmpty() ? List.of(e.toString()) : problems);
      log.warn("routes from {} refused, the routes in force stay: {}", source, change.problems());
      old.events.routesChanged(change);
    }
    return change;
  }

  /**
   * Evaluates every routing flag once, now, so the first request does not pay for the provider's
   * cold start, and reports each flag the provider and the routes disagree on by name (a warning
   * each, and the returned report): a flag the provider does not know, a type that cannot route,
   * a variant the route does not list. Adapters call it at start-up; waits for the provider at
   * most 30 seconds. A relay that evaluates nothing has nothing to warm up.
   */
  public WarmUpReport warmUp() {
    EdgeEvaluator evaluator = state.evaluator;
    return evaluator == null ? new WarmUpReport(0, List.of()) : WarmUp.run(evaluator.routes(), evaluator.client());
  }

  /**
   * The codec inbound headers are read with, bound to these routes: write outbound headers with it,
   * which needs no lookup per flag for contexts of these routes. It also knows this router's
   * override header, which outbound stamping strips from every call ({@link HeaderCodec#strips}),
   * and the mesh's hosts, the only ones it stamps calls to ({@link HeaderCodec#allowsEgress}).
   */
  public HeaderCodec codec() {
    return state.codec;
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
