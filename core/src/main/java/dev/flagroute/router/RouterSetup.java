package dev.flagroute.router;

import static dev.flagroute.router.FlagRouter.DEFAULT_CACHE_SIZE;
import static dev.flagroute.router.FlagRouter.DEFAULT_CACHE_TTL;
import static dev.flagroute.router.FlagRouter.DEFAULT_OVERRIDE_HEADER;
import static dev.flagroute.router.FlagRouter.DEFAULT_SHADOW_HEADER;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.internal.options.OptionProblem;
import dev.flagroute.internal.options.RouterOption;
import dev.flagroute.internal.options.RouterRules;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.ServiceRoutes;
import dev.flagroute.verdict.VerdictPolicy;
import dev.openfeature.sdk.Client;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options of a {@link FlagRouter.Builder} and their setters, which the public builder inherits:
 * each option checked as it is set, the rules across options ({@link RouterRules}) when the router
 * is built.
 */
abstract class RouterSetup {
  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  final FlagRoutes routes;
  RoutingMode mode;
  HeaderCodec codec = HeaderCodec.perFlag();
  HeaderLimits limits = HeaderLimits.DEFAULT;
  RoutingListener listener = RoutingListener.NOOP;
  Client client;
  long cacheSize = DEFAULT_CACHE_SIZE;
  Duration cacheTtl = DEFAULT_CACHE_TTL;
  List<String> cacheKeyAttributes = List.of();
  List<String> cacheIgnoredAttributes = List.of();
  Duration deadline;
  OverrideTokens overrides;
  String overrideHeader = DEFAULT_OVERRIDE_HEADER;
  String shadowHeader = DEFAULT_SHADOW_HEADER;
  boolean evaluateMissing;
  boolean reportForeignHeaders;
  MisrouteDetector misroutes;
  Clock clock;
  final Map<String, GuardPolicy> guards = new LinkedHashMap<>();
  final Map<String, VerdictPolicy> verdicts = new LinkedHashMap<>();

  RouterSetup(FlagRoutes routes) {
    this.routes = Objects.requireNonNull(routes, "routes");
  }

  /** This builder, as the public type. */
  abstract FlagRouter.Builder self();

  /** Edge or relay; required. */
  public FlagRouter.Builder mode(RoutingMode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
    return self();
  }

  /** How flags are read from and written to headers; {@link HeaderCodec#perFlag()} by default. */
  public FlagRouter.Builder codec(HeaderCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
    return self();
  }

  /** Bounds on inbound headers; {@link HeaderLimits#DEFAULT} by default. */
  public FlagRouter.Builder limits(HeaderLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return self();
  }

  /** Hears decisions, drops, overrides, misroutes and failures, for metrics. */
  public FlagRouter.Builder listener(RoutingListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /** The OpenFeature client that decides flags: required at the edge and to evaluate missing flags. */
  public FlagRouter.Builder client(Client client) {
    this.client = Objects.requireNonNull(client, "client");
    return self();
  }

  /**
   * Caches up to {@code maximumSize} decisions, each for {@code ttl} at most; by default
   * {@link FlagRouter#DEFAULT_CACHE_SIZE} for {@link FlagRouter#DEFAULT_CACHE_TTL}. Once the cache is full, a new key
   * is stored on its second miss within about the last {@code maximumSize} new keys, not its
   * first: keys seen once (crawlers, random ids, more users than fit) then cost no insert and
   * evict no key that returns.
   */
  public FlagRouter.Builder cache(long maximumSize, Duration ttl) {
    if (maximumSize < 1) {
      throw new IllegalArgumentException("cache size must be positive: " + maximumSize + "; use noCache() to disable");
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache ttl must be positive: " + ttl);
    }
    this.cacheSize = maximumSize;
    this.cacheTtl = ttl;
    return self();
  }

  /** Evaluates every request afresh, without a cache. */
  public FlagRouter.Builder noCache() {
    this.cacheSize = 0;
    return self();
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
  public FlagRouter.Builder cacheKeyAttributes(String... names) {
    this.cacheKeyAttributes = attributeNames(RouterOption.CACHE_KEY_ATTRIBUTES, names);
    return self();
  }

  /**
   * Declares evaluation-context attributes irrelevant to routing: no routing flag's targeting
   * reads them (a request id, a user agent, a timestamp). They are left out of the cache key, so
   * requests that differ only in them share one cached decision, and they are taken out of the
   * context routing flags are evaluated with, so they never reach the provider (a rule that reads
   * one sees it absent, on every request alike). None by default. A name cannot be both a key
   * attribute and ignored.
   *
   * @throws IllegalArgumentException if a name is blank or the targeting key
   */
  public FlagRouter.Builder cacheIgnoredAttributes(String... names) {
    this.cacheIgnoredAttributes = attributeNames(RouterOption.CACHE_IGNORED_ATTRIBUTES, names);
    return self();
  }

  private static List<String> attributeNames(RouterOption option, String... names) {
    try {
      return RouterRules.attributeNames(option, Arrays.asList(names));
    } catch (OptionProblem e) {
      throw new IllegalArgumentException(describe(option) + " names: " + e.getMessage(), e);
    }
  }

  /**
   * The longest a request waits for the provider; by default it waits as long as the provider
   * takes. With a deadline, cache misses are evaluated on a small daemon pool (a thread handoff
   * per miss, at most 16 evaluations at once); a request that runs out of time takes every
   * default, and the late answer still fills the cache.
   *
   * <p>A provider call still running ten times past the deadline (and at least a second) is taken
   * as stuck: it is reported ({@link RoutingListener#evaluationStuck}, one warning a minute) and
   * stops counting towards the 16; until an evaluation answers in time again, one evaluation at a
   * time probes the provider, each probe that hangs doubling the wait for the next. Stuck threads
   * are never interrupted, and all evaluation threads together are capped at 64. Once the
   * provider answers new calls again, evaluation resumes within the time it had hung plus twice
   * the stuck threshold, as long as fewer than 64 calls hang for good.
   *
   * <p>Without a deadline, the flags are evaluated on the request's thread: a call that hangs
   * hangs its request, and only that one; every other request is evaluated as usual. Set a
   * deadline where the provider can hang.
   */
  public FlagRouter.Builder deadline(Duration deadline) {
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + deadline);
    }
    this.deadline = deadline;
    return self();
  }

  /**
   * Accepts override tokens verified by {@code tokens} at the edge; off by default. A token bound
   * to a subject is checked against the targeting key of the evaluation context passed to
   * {@code route}, and one bound to an audience against the audience of {@code tokens}.
   */
  public FlagRouter.Builder overrides(OverrideTokens tokens) {
    this.overrides = Objects.requireNonNull(tokens, "tokens");
    return self();
  }

  /** The header carrying override tokens; {@link FlagRouter#DEFAULT_OVERRIDE_HEADER} by default. */
  public FlagRouter.Builder overrideHeader(String name) {
    this.overrideHeader = header(RouterOption.OVERRIDE_HEADER, name, DEFAULT_OVERRIDE_HEADER);
    return self();
  }

  /**
   * The header carrying the shadow marker, {@link FlagRouter#DEFAULT_SHADOW_HEADER} by default: a relay
   * takes a request carrying it with {@code 1} or {@code true} for a shadow, and the router's
   * codec writes {@code 1} on calls made from a shadow context. Set the same name on every
   * service. The edge never trusts it.
   *
   * @throws IllegalArgumentException if {@code name} is not an HTTP header name
   */
  public FlagRouter.Builder shadowHeader(String name) {
    this.shadowHeader = header(RouterOption.SHADOW_HEADER, name, DEFAULT_SHADOW_HEADER);
    return self();
  }

  /** In RELAY mode, evaluate flags no header carries instead of defaulting them; off by default. */
  public FlagRouter.Builder evaluateMissing(boolean evaluate) {
    this.evaluateMissing = evaluate;
    return self();
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
  public FlagRouter.Builder reportForeignHeaders(boolean report) {
    this.reportForeignHeaders = report;
    return self();
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
  public FlagRouter.Builder service(String name, String version) {
    this.misroutes = MisrouteDetector.of(routes, name, version);
    if (misroutes == null) {
      log.info("no routing flag steers service '{}'; misroute detection has nothing to check", name);
    }
    return self();
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
  public FlagRouter.Builder guard(String flagKey, GuardPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (flagKey == null || routes.get(flagKey) == null) {
      throw new IllegalArgumentException("cannot guard flag '" + flagKey + "': no route has it; the flags are "
          + routes.asList().stream().map(FlagRoute::key).toList());
    }
    guards.put(routes.get(flagKey).key(), policy);
    return self();
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
  public FlagRouter.Builder verdicts(String flagKey, VerdictPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (flagKey == null || routes.get(flagKey) == null) {
      throw new IllegalArgumentException("cannot judge flag '" + flagKey + "': no route has it; the flags are "
          + routes.asList().stream().map(FlagRoute::key).toList());
    }
    verdicts.put(routes.get(flagKey).key(), policy);
    return self();
  }

  /**
   * The clock for cache expiry, warning rate limits, finding stuck evaluations, the rollout guard,
   * verdicts and ramps; the system clock by default. For tests.
   */
  public FlagRouter.Builder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Checks the rules across options ({@link RouterRules}) and that the options the mode needs are
   * set.
   *
   * @throws IllegalStateException naming the first option that breaks one
   */
  void check() {
    if (mode == null) {
      throw new IllegalStateException("mode must be set: mode(RoutingMode.EDGE) where outside traffic arrives,"
          + " mode(RoutingMode.RELAY) in mesh-internal services");
    }
    if (mode == RoutingMode.EDGE && client == null) {
      throw new IllegalStateException("EDGE mode needs an OpenFeature client to decide flags: call client(...)");
    }
    if (evaluateMissing && client == null) {
      throw new IllegalStateException("evaluateMissing(true) needs an OpenFeature client: call client(...)");
    }
    boolean edge = mode == RoutingMode.EDGE;
    try {
      RouterRules.edgeOnly(RouterOption.OVERRIDES, overrides != null, edge);
      RouterRules.edgeOnly(RouterOption.GUARD, !guards.isEmpty(), edge);
      RouterRules.edgeOnly(RouterOption.VERDICTS, !verdicts.isEmpty(), edge);
      RouterRules.keyNotIgnored(cacheKeyAttributes, cacheIgnoredAttributes, null);
      RouterRules.distinctHeaders(codec, overrideHeader, shadowHeader);
    } catch (OptionProblem e) {
      throw new IllegalStateException(switch (e.option()) {
        case OVERRIDES, GUARD, VERDICTS -> e.getMessage() + "; RELAY keeps stamped variants";
        default -> describe(e.option()) + " " + e.getMessage();
      }, e);
    }
  }

  private static String header(RouterOption option, String name, String example) {
    try {
      return RouterRules.headerName(option, name, example);
    } catch (OptionProblem e) {
      throw new IllegalArgumentException(describe(option) + " " + e.getMessage(), e);
    }
  }

  private static String describe(RouterOption option) {
    return switch (option) {
      case OVERRIDE_HEADER -> "override header";
      case SHADOW_HEADER -> "shadow header";
      case CACHE_KEY_ATTRIBUTES -> "cache-key attribute";
      case CACHE_IGNORED_ATTRIBUTES -> "ignored attribute";
      case OVERRIDES -> "override tokens";
      case GUARD -> "rollout guard";
      case VERDICTS -> "verdicts";
    };
  }
}
