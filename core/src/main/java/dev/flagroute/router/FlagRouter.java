package dev.flagroute.router;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.guard.RolloutGuard;
import dev.flagroute.internal.BoundCodec;
import dev.flagroute.internal.CodecBinder;
import dev.flagroute.internal.ExtractSink;
import dev.flagroute.internal.Fatal;
import dev.flagroute.internal.Positions;
import dev.flagroute.internal.RouteNames;
import dev.flagroute.internal.ShadowMarking;
import dev.flagroute.observe.Misroute;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.override.OverrideResult;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.ramp.Rollouts;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.ServiceRoutes;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an inbound request into its {@link FlagContext}. Never throws on request input, and never
 * fails a request because of flag routing: whatever goes wrong, every flag gets a variant. A
 * provider or listener that throws, an exception or an {@link Error} such as
 * {@code AssertionError} or {@code LinkageError}, costs the flags their evaluated variants, never
 * the request; the one exception is the JVM failing, {@link VirtualMachineError} (such as
 * {@code OutOfMemoryError} or {@code StackOverflowError}) and {@code ThreadDeath}, which
 * {@code route} lets through rather than hide a process that cannot go on behind default variants.
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
  /** The header carrying an override token unless configured. */
  public static final String DEFAULT_OVERRIDE_HEADER = OverrideTokens.DEFAULT_HEADER;
  /** The header carrying the shadow marker unless configured. */
  public static final String DEFAULT_SHADOW_HEADER = ShadowMarking.DEFAULT_HEADER;
  /** The reason of a variant forced by an override token. */
  public static final String OVERRIDE_REASON = "OVERRIDE";

  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  private final FlagRoutes routes;
  private final RoutingMode mode;
  private final BoundCodec codec;
  private final Events events;
  private final EdgeEvaluator evaluator;
  private final OverrideTokens overrides;
  private final String overrideHeader;
  private final String shadowHeader;
  private final HeaderLimits limits;
  private final MisrouteDetector misroutes;
  private final RelayRead.Relayed[] relayed;
  private final ExtractSink untrusted;
  /** The rollout guard, or null when no flag is guarded. */
  private final RolloutGuard guard;
  /** The verdicts and ramps, or null when no flag has either. */
  private final Rollouts rollouts;

  private FlagRouter(Builder builder) {
    this.routes = builder.routes;
    if (builder.mode == null) {
      throw new IllegalStateException("mode must be set: mode(RoutingMode.EDGE) where outside traffic arrives,"
          + " mode(RoutingMode.RELAY) in mesh-internal services");
    }
    this.mode = builder.mode;
    this.codec = ShadowMarking.of(BoundCodec.bind(builder.codec, routes, builder.limits, builder.overrideHeader),
        builder.shadowHeader);
    this.overrides = builder.overrides;
    this.overrideHeader = builder.overrideHeader;
    this.shadowHeader = builder.shadowHeader;
    this.limits = builder.limits;
    checkConfiguration(builder);
    Clock clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
    this.events = new Events(builder.listener, clock, routes.size(), builder.reportForeignHeaders);
    this.evaluator = mode == RoutingMode.EDGE || builder.evaluateMissing ? newEvaluator(builder, clock) : null;
    this.misroutes = builder.misroutes;
    this.relayed = routes.asList().stream().map(RelayRead.Relayed::new).toArray(RelayRead.Relayed[]::new);
    this.untrusted = new UntrustedSink();
    this.guard = builder.guards.isEmpty() ? null : RolloutGuard.of(routes, builder.guards, clock, events::guardChanged);
    Rollouts made = mode != RoutingMode.EDGE ? null
        : Rollouts.of(routes, builder.verdicts, clock, events::verdictChanged, events::rampChanged);
    this.rollouts = made == null || made.isEmpty() ? null : made;
  }

  private void checkConfiguration(Builder builder) {
    if (mode == RoutingMode.EDGE && builder.client == null) {
      throw new IllegalStateException("EDGE mode needs an OpenFeature client to decide flags: call client(...)");
    }
    if (builder.evaluateMissing && builder.client == null) {
      throw new IllegalStateException("evaluateMissing(true) needs an OpenFeature client: call client(...)");
    }
    if (overrides != null && mode != RoutingMode.EDGE) {
      throw new IllegalStateException("override tokens are read at the edge only; RELAY keeps stamped variants");
    }
    if (!builder.verdicts.isEmpty() && mode != RoutingMode.EDGE) {
      throw new IllegalStateException("verdicts are made at the edge only, where variants are decided");
    }
    if (!builder.guards.isEmpty() && mode != RoutingMode.EDGE) {
      throw new IllegalStateException("the rollout guard decides at the edge only; RELAY keeps stamped variants");
    }
    for (String name : builder.cacheIgnoredAttributes) {
      if (Arrays.asList(builder.cacheKeyAttributes).contains(name)) {
        throw new IllegalStateException("attribute '" + name + "' is both a cache-key attribute and ignored by the"
            + " cache; routing either reads it or does not");
      }
    }
    if (codec.owns(overrideHeader)) {
      throw new IllegalStateException("override header '" + overrideHeader + "' is a flag header of " + codec
          + "; choose a name outside it");
    }
    if (codec.owns(shadowHeader) || shadowHeader.equals(overrideHeader)) {
      throw new IllegalStateException("shadow header '" + shadowHeader + "' is a flag header of " + codec
          + " or the override header; choose a name outside them");
    }
  }

  private EdgeEvaluator newEvaluator(Builder builder, Clock clock) {
    DecisionCache cache = null;
    if (builder.cacheSize > 0) {
      Ticker ticker = builder.clock == null ? Ticker.systemTicker()
          : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
      cache = new DecisionCache(builder.cacheSize, builder.cacheTtl, builder.cacheKeyAttributes,
          builder.cacheIgnoredAttributes, ticker);
    }
    return new EdgeEvaluator(routes, builder.client, events, cache, builder.deadline, clock);
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
    EvaluationContext context = evaluationContext == null ? ImmutableContext.EMPTY : evaluationContext;
    FlagContext flags;
    try {
      flags = mode == RoutingMode.EDGE ? edge(carrier, getter, context) : relay(carrier, getter, context);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("flag routing failed; every flag takes its default", e);
      flags = FlagContext.builder(routes).fillDefaults("ERROR").build();
    }
    if (shadow(carrier, getter, authority)) {
      flags = flags.asShadow();
    }
    if (misroutes != null && mode == RoutingMode.RELAY) {
      Optional<Misroute> misroute = misroutes.check(flags);
      if (misroute.isPresent()) {
        events.misrouted(Positions.indexOf(routes, misroute.get().flagKey()), misroute.get());
      }
    }
    events.decided(flags);
    return flags;
  }

  /**
   * Whether the request is a mirrored copy: only at a relay, by its authority or a valid marker;
   * at the edge an inbound marker is reported as untrusted. Never throws but what {@link Fatal}
   * lets through; a failure reads as no shadow.
   */
  private <C> boolean shadow(C carrier, HeaderGetter<C> getter, String authority) {
    boolean relay = mode == RoutingMode.RELAY;
    if (!relay && !events.foreignHeadersHeard()) {
      return false;
    }
    try {
      String marker = getter.get(carrier, shadowHeader);
      if (!relay) {
        if (marker != null) {
          events.dropped(shadowHeader, DropReason.UNTRUSTED);
        }
        return false;
      }
      DropReason problem = marker == null ? null : ShadowMarks.markerProblem(marker, limits);
      if (problem != null) {
        events.dropped(shadowHeader, problem);
      }
      return marker != null && problem == null || ShadowMarks.shadowAuthority(authority);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("could not read the shadow marker; the request is not taken for a shadow", e);
      return false;
    }
  }

  private <C> FlagContext edge(C carrier, HeaderGetter<C> getter, EvaluationContext context) {
    // inbound flag headers are read here only to report them as dropped: not when nobody hears
    if (events.foreignHeadersHeard() && mayCarryFlags(carrier, getter)) {
      codec.extract(carrier, getter, untrusted);
    }
    Map<String, String> forced = overrides == null ? null : override(carrier, getter, context);
    FlagContext decided = evaluator.evaluate(context);
    if (rollouts != null) {
      decided = rollouts.apply(decided, context.getTargetingKey());
    }
    if (guard != null) {
      decided = guard.apply(decided);
    }
    if (forced == null) {
      return decided;
    }
    FlagContext.Builder builder = decided.toBuilder();
    forced.forEach((key, variant) -> builder.put(key, new FlagDecision(variant, Source.OVERRIDE, OVERRIDE_REASON)));
    return builder.build();
  }

  /**
   * Whether the request may carry flag headers: false only when the carrier lists its header names
   * and the codec owns none of them, which spares a lookup per flag on ordinary requests.
   */
  private <C> boolean mayCarryFlags(C carrier, HeaderGetter<C> getter) {
    boolean listed = false;
    for (String name : getter.names(carrier)) {
      if (codec.owns(name)) {
        return true;
      }
      listed = true;
    }
    return !listed;
  }

  private <C> Map<String, String> override(C carrier, HeaderGetter<C> getter, EvaluationContext context) {
    String token = getter.get(carrier, overrideHeader);
    if (token == null) {
      return null;
    }
    OverrideResult result = overrides.verify(token, routes, context.getTargetingKey());
    if (result instanceof OverrideResult.Accepted accepted) {
      events.overrideAccepted(accepted.variants());
      return accepted.variants();
    }
    events.overrideRejected(((OverrideResult.Rejected) result).reason());
    return null;
  }

  private <C> FlagContext relay(C carrier, HeaderGetter<C> getter, EvaluationContext context) {
    FlagContext.Builder builder = FlagContext.builder(routes);
    codec.extract(carrier, getter, new RelayRead(relayed, builder, events));
    if (evaluator != null && !allDecided(builder)) {
      FlagContext evaluated = evaluator.evaluate(context);
      for (int i = 0; i < routes.size(); i++) {
        if (!Positions.isDecided(builder, i)) {
          Positions.put(builder, i, Positions.decision(evaluated, i));
        }
      }
    }
    return builder.fillDefaults(FlagDecision.MISSING).build();
  }

  private boolean allDecided(FlagContext.Builder builder) {
    for (int i = 0; i < routes.size(); i++) {
      if (!Positions.isDecided(builder, i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reports how a request routed to {@code flags} ended: adapters call this once per request,
   * when it completes (after async processing, when the call closes). The listener hears it, and
   * at the edge the rollout guard counts it, unless {@code flags} is a shadow: no user saw that
   * response, so it says nothing about what users get. Never throws.
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

  /** Reports every inbound flag header at the edge as untrusted. */
  private final class UntrustedSink implements ExtractSink {
    @Override
    public void flag(int routeIndex, String header, String value) {
      events.dropped(header, DropReason.UNTRUSTED);
    }

    @Override
    public void dropped(String header, DropReason reason) {
      events.dropped(header, DropReason.UNTRUSTED);
    }
  }

  /** Configures a {@link FlagRouter}. */
  public static final class Builder {
    private final FlagRoutes routes;
    private RoutingMode mode;
    private HeaderCodec codec = HeaderCodec.perFlag();
    private HeaderLimits limits = HeaderLimits.DEFAULT;
    private RoutingListener listener = RoutingListener.NOOP;
    private Client client;
    private long cacheSize = DEFAULT_CACHE_SIZE;
    private Duration cacheTtl = DEFAULT_CACHE_TTL;
    private String[] cacheKeyAttributes = new String[0];
    private String[] cacheIgnoredAttributes = new String[0];
    private Duration deadline;
    private OverrideTokens overrides;
    private String overrideHeader = DEFAULT_OVERRIDE_HEADER;
    private String shadowHeader = DEFAULT_SHADOW_HEADER;
    private boolean evaluateMissing;
    private boolean reportForeignHeaders;
    private MisrouteDetector misroutes;
    private Clock clock;
    private final Map<String, GuardPolicy> guards = new LinkedHashMap<>();
    private final Map<String, VerdictPolicy> verdicts = new LinkedHashMap<>();

    private Builder(FlagRoutes routes) {
      this.routes = Objects.requireNonNull(routes, "routes");
    }

    /** Edge or relay; required. */
    public Builder mode(RoutingMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * How flags are read from and written to headers; {@link HeaderCodec#perFlag()} by default.
     *
     * @throws IllegalArgumentException if {@code codec} is not one of {@link HeaderCodec}'s
     */
    public Builder codec(HeaderCodec codec) {
      if (!(Objects.requireNonNull(codec, "codec") instanceof CodecBinder)) {
        throw new IllegalArgumentException(codec + " is not a flagroute codec; use HeaderCodec.perFlag(), combined()"
            + " or baggage(), which the mesh rules generated from the routes match");
      }
      this.codec = codec;
      return this;
    }

    /** Bounds on inbound headers; {@link HeaderLimits#DEFAULT} by default. */
    public Builder limits(HeaderLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Hears decisions, drops, overrides, misroutes and failures, for metrics. */
    public Builder listener(RoutingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The OpenFeature client that decides flags: required at the edge and to evaluate missing flags. */
    public Builder client(Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Caches up to {@code maximumSize} decisions, each for {@code ttl} at most; by default
     * {@link #DEFAULT_CACHE_SIZE} for {@link #DEFAULT_CACHE_TTL}. Once the cache is full, a new key
     * is stored on its second miss within about the last {@code maximumSize} new keys, not its
     * first: keys seen once (crawlers, random ids, more users than fit) then cost no insert and
     * evict no key that returns.
     */
    public Builder cache(long maximumSize, Duration ttl) {
      if (maximumSize < 1) {
        throw new IllegalArgumentException("cache size must be positive: " + maximumSize + "; use noCache() to disable");
      }
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("cache ttl must be positive: " + ttl);
      }
      this.cacheSize = maximumSize;
      this.cacheTtl = ttl;
      return this;
    }

    /** Evaluates every request afresh, without a cache. */
    public Builder noCache() {
      this.cacheSize = 0;
      return this;
    }

    /**
     * The evaluation-context attributes that the routing flags' targeting reads, besides the
     * targeting key (none by default). The cache key is the targeting key and <em>every</em>
     * attribute a request's context carries, except those declared irrelevant to routing with
     * {@link #cacheIgnoredAttributes}: no attribute reaches the provider without being part of the
     * key, so a request cannot pin a decision made for its own attributes on other requests of its
     * targeting key (or, without one, on every anonymous request) for the entry's lifetime.
     * Attributes named here are read by position, the cheapest key: name those your routing rules
     * use, and a context that carries nothing else costs no more per hit than one lookup per name.
     * Attributes neither named here nor ignored join the key by name, which costs a little more
     * per request.
     *
     * <p>Bounds, so that the cache stays bounded in memory whatever requests carry: targeting keys
     * longer than 256 chars, attributes that are not strings of at most 256 chars, numbers,
     * booleans or instants (structures, lists), and more than 8 undeclared attributes or 512 chars
     * of their names and string values make a request uncacheable: it is evaluated every time.
     *
     * @throws IllegalArgumentException if a name is blank or the targeting key
     */
    public Builder cacheKeyAttributes(String... names) {
      this.cacheKeyAttributes = attributeNames(names);
      return this;
    }

    /**
     * Declares evaluation-context attributes irrelevant to routing: no routing flag's targeting
     * reads them (a request id, a user agent, a timestamp). They still reach the provider, but are
     * left out of the cache key, so requests that differ only in them share one cached decision.
     * Declaring an attribute that a routing rule does read pins the first decision made for each
     * key on every request of that key until the entry expires: only declare what routing never
     * reads. None by default. A name cannot be both a key attribute and ignored.
     *
     * @throws IllegalArgumentException if a name is blank or the targeting key
     */
    public Builder cacheIgnoredAttributes(String... names) {
      this.cacheIgnoredAttributes = attributeNames(names);
      return this;
    }

    private static String[] attributeNames(String... names) {
      LinkedHashSet<String> unique = new LinkedHashSet<>();
      for (String name : names) {
        if (name == null || name.isBlank() || name.equals(EvaluationContext.TARGETING_KEY)) {
          throw new IllegalArgumentException("attribute names must not be blank or the targeting key: '" + name + "'");
        }
        unique.add(name);
      }
      return unique.toArray(new String[0]);
    }

    /**
     * The longest a request waits for the provider; by default it waits as long as the provider
     * takes. With a deadline, cache misses are evaluated on a small daemon pool (a thread handoff
     * per miss, at most 16 evaluations at once); a request that runs out of time takes every
     * default, and the late answer still fills the cache.
     *
     * <p>A provider call still running ten times past the deadline (and at least a second) is taken
     * as stuck: it is reported ({@link RoutingListener#evaluationStuck}, one warning a minute), it
     * stops counting towards the 16, and a new thread takes its place, so new requests are
     * evaluated again once the provider answers new calls. Stuck threads are not interrupted, and
     * all evaluation threads together are capped at 64; while that many are stuck, cache misses
     * take default variants until some return.
     */
    public Builder deadline(Duration deadline) {
      if (deadline == null || deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive: " + deadline);
      }
      this.deadline = deadline;
      return this;
    }

    /**
     * Accepts override tokens verified by {@code tokens} at the edge; off by default. A token bound
     * to a subject is checked against the targeting key of the evaluation context passed to
     * {@code route}, and one bound to an audience against the audience of {@code tokens}.
     */
    public Builder overrides(OverrideTokens tokens) {
      this.overrides = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** The header carrying override tokens; {@link #DEFAULT_OVERRIDE_HEADER} by default. */
    public Builder overrideHeader(String name) {
      String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
      if (!RouteNames.HEADER_NAME.matcher(lower).matches()) {
        throw new IllegalArgumentException("override header '" + name + "' must be an HTTP header name");
      }
      this.overrideHeader = lower;
      return this;
    }

    /**
     * The header carrying the shadow marker, {@link #DEFAULT_SHADOW_HEADER} by default: a relay
     * takes a request carrying it with {@code 1} or {@code true} for a shadow, and the router's
     * codec writes {@code 1} on calls made from a shadow context. Set the same name on every
     * service. The edge never trusts it.
     *
     * @throws IllegalArgumentException if {@code name} is not an HTTP header name
     */
    public Builder shadowHeader(String name) {
      String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
      if (!RouteNames.HEADER_NAME.matcher(lower).matches()) {
        throw new IllegalArgumentException("shadow header '" + name + "' must be an HTTP header name");
      }
      this.shadowHeader = lower;
      return this;
    }

    /** In RELAY mode, evaluate flags no header carries instead of defaulting them; off by default. */
    public Builder evaluateMissing(boolean evaluate) {
      this.evaluateMissing = evaluate;
      return this;
    }

    /**
     * Whether the listener hears of flag headers this router will not use ({@code false} by
     * default): at the edge, every flag header and shadow marker a client sent
     * ({@link DropReason#UNTRUSTED}); at a relay, headers naming flags the routes do not know
     * ({@link DropReason#UNKNOWN_FLAG}). Finding them takes a look at every inbound header name,
     * which costs more than the rest of a cached edge decision, so it is off unless asked for. Such
     * headers are never used either way: the edge decides every flag itself, and stamping replaces
     * them on outbound calls. Problems with the headers the router does read (bad values, repeats,
     * sizes) are always reported. With debug logging on for this class, all of them are logged.
     */
    public Builder reportForeignHeaders(boolean report) {
      this.reportForeignHeaders = report;
      return this;
    }

    /**
     * This service's name and this instance's version label, to detect (in RELAY mode) requests
     * whose carried variants the mesh should have sent to another version.
     *
     * <p>The version a request should reach follows the precedence of {@link ServiceRoutes}, over
     * the variants the request carried in; requests that carried none of the service's flags are
     * not checked.
     *
     * @throws IllegalArgumentException if the name is not a DNS name or the version not a label
     */
    public Builder service(String name, String version) {
      this.misroutes = MisrouteDetector.of(routes, name, version);
      if (misroutes == null) {
        log.info("no routing flag steers service '{}'; misroute detection has nothing to check", name);
      }
      return this;
    }

    /**
     * Guards {@code flagKey} at the edge with {@code policy}: when one of its non-default variants
     * fails much more than the default (see {@link GuardPolicy}), requests decided for it get the
     * default variant instead until probes show it healthy. Needs adapters that report outcomes
     * ({@link FlagRouter#completed}); flagroute's servlet filter, gRPC interceptor and WebFlux
     * filter do. Per instance: other edge replicas decide on their own. Off by default.
     *
     * @throws IllegalArgumentException if no route has {@code flagKey}
     */
    public Builder guard(String flagKey, GuardPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      if (flagKey == null || routes.get(flagKey) == null) {
        throw new IllegalArgumentException("cannot guard flag '" + flagKey + "': no route has it; the flags are "
            + routes.asList().stream().map(FlagRoute::key).toList());
      }
      guards.put(routes.get(flagKey).key(), policy);
      return this;
    }

    /**
     * Compares each non-default variant of {@code flagKey} with its default variant at the edge,
     * on error ratio and latency, by a sequential test valid however often it is read (see
     * {@link VerdictPolicy}); read the verdicts with {@link FlagRouter#verdicts()}, hear each change
     * with {@link RoutingListener#verdictChanged}. With {@link VerdictPolicy#holdBackWorse()},
     * requests decided for a WORSE variant get the default instead. A flag whose routes declare a
     * ramp is judged with {@link VerdictPolicy#defaults()} unless given a policy here, and its ramp
     * rolls back when the variant turns WORSE. Needs adapters that report outcomes
     * ({@link FlagRouter#completed}). Per instance. Off by default.
     *
     * @throws IllegalArgumentException if no route has {@code flagKey}
     */
    public Builder verdicts(String flagKey, VerdictPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      if (flagKey == null || routes.get(flagKey) == null) {
        throw new IllegalArgumentException("cannot judge flag '" + flagKey + "': no route has it; the flags are "
            + routes.asList().stream().map(FlagRoute::key).toList());
      }
      verdicts.put(routes.get(flagKey).key(), policy);
      return this;
    }

    /**
     * The clock for cache expiry, warning rate limits, finding stuck evaluations and the rollout
     * guard, verdicts and ramps; the system clock by default. For tests.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the router.
     *
     * @throws IllegalStateException if the mode is missing, a client is needed but missing,
     *     overrides, guards or verdicts are set outside EDGE, or the override or shadow header is a flag header
     *     of the codec
     */
    public FlagRouter build() {
      return new FlagRouter(this);
    }
  }
}
