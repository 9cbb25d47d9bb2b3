package dev.flagroute.micrometer;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.context.Source;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.observe.Metric;
import dev.flagroute.observe.CodecMismatch;
import dev.flagroute.observe.Misroute;
import dev.flagroute.observe.RoutesChange;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.observe.VersionFallback;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records what the router does as Micrometer counters, named by {@link Metric}. Tag values come from the routes and from
 * enums, never from request input, so the number of series is bounded by the routes:
 * <ul>
 *   <li>{@code flagroute.decisions} (tags {@code flag}, {@code variant}, {@code source}): one per
 *       flag of each routed request;
 *   <li>{@code flagroute.headers.dropped} (tag {@code reason}): inbound flag headers dropped;
 *   <li>{@code flagroute.overrides} (tags {@code outcome}, {@code reason}): override tokens
 *       accepted, or rejected and why;
 *   <li>{@code flagroute.misroutes} (tags {@code flag}, {@code variant}): requests that reached a
 *       version the mesh should not have sent them to;
 *   <li>{@code flagroute.evaluation.failures} (tags {@code flag}, {@code failure}): evaluations
 *       that failed, so the flag took its default;
 *   <li>{@code flagroute.evaluation.stuck} (no tags): evaluations that ran so far past the
 *       router's deadline that they were taken as stuck in the provider and their thread replaced
 *       (see {@link RoutingListener#evaluationStuck});
 *   <li>{@code flagroute.egress.blocked} (no tags; never the host, which is unbounded): outbound
 *       calls to hosts outside the mesh sent without flags (see {@link RoutingListener#egressBlocked});
 *   <li>{@code flagroute.variants.unknown} (tag {@code flag}): variants a relay carried on that its
 *       routes do not list (an earlier hop runs newer routes); such a decision is counted here, not
 *       in {@code flagroute.decisions}, and the variant itself, which is input, is no tag;
 *   <li>{@code flagroute.codec.mismatches} (tags {@code expected}, {@code received}): requests
 *       that carried flag headers of another codec than the relay's, which it did not read (the
 *       codecs are the router's and one of flagroute's defaults);
 *   <li>{@code flagroute.routes.changes} (tag {@code outcome}: {@code accepted} or {@code refused}):
 *       new routes given to a running router ({@link RoutingListener#routesChanged}), so that a
 *       routes file refused while the old routes stay can be alerted on;
 *   <li>{@code flagroute.version.fallbacks} (tags {@code service}, {@code version}): calls made
 *       without a mesh that went to the stable version because their version had no instance.
 * </ul>
 * Each series is registered when it is first counted, not at start-up.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class MicrometerRoutingListener implements RoutingListener {
  /** Decided flags, by flag, variant and source. */
  public static final String DECISIONS = Metric.DECISIONS.meterName();
  /** Dropped inbound flag headers, by reason. */
  public static final String DROPPED = Metric.HEADERS_DROPPED.meterName();
  /** Override tokens, by outcome and rejection reason. */
  public static final String OVERRIDES = Metric.OVERRIDES.meterName();
  /** Misrouted requests, by flag and variant. */
  public static final String MISROUTES = Metric.MISROUTES.meterName();
  /** Failed evaluations, by flag and failure. */
  public static final String FAILURES = Metric.EVALUATION_FAILURES.meterName();
  /** Evaluations taken as stuck in the provider. */
  public static final String STUCK = Metric.EVALUATION_STUCK.meterName();
  /** Outbound calls to hosts outside the mesh sent without flags. */
  public static final String EGRESS_BLOCKED = Metric.EGRESS_BLOCKED.meterName();
  /** Variants carried on that the routes do not list, by flag. */
  public static final String UNKNOWN_VARIANTS = Metric.UNKNOWN_VARIANTS.meterName();
  /** Requests carrying flag headers of another codec, by expected and received codec. */
  public static final String CODEC_MISMATCHES = Metric.CODEC_MISMATCHES.meterName();
  /** Routes given to a running router, by outcome. */
  public static final String ROUTES_CHANGES = Metric.ROUTES_CHANGES.meterName();
  /** Calls made without a mesh that fell back to the stable version, by service and version. */
  public static final String VERSION_FALLBACKS = Metric.VERSION_FALLBACKS.meterName();

  private final MeterRegistry registry;
  private final AtomicReferenceArray<Counter> dropped = new AtomicReferenceArray<>(DropReason.values().length);
  private final AtomicReferenceArray<Counter> rejected = new AtomicReferenceArray<>(OverrideRejection.values().length);
  private volatile Counter accepted;
  private volatile Counter stuck;
  private volatile Counter egressBlocked;
  private volatile DecisionCounters decisions;

  /** Records into {@code registry}. */
  public MicrometerRoutingListener(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.decisions = new DecisionCounters(FlagRoutes.empty(), List.of());
  }

  private Counter overrides(String outcome, String reason) {
    return Counter.builder(OVERRIDES).description("Override tokens, by outcome and rejection reason")
        .tag("outcome", outcome).tag("reason", reason).register(registry);
  }

  @Override
  public void decided(FlagContext context) {
    DecisionCounters counters = countersFor(context.routes());
    for (int i = 0; i < context.routes().size(); i++) {
      FlagDecision decision = Positions.decision(context, i);
      if (decision != null) {
        counters.increment(i, decision);
      }
    }
  }

  @Override
  public void headerDropped(String header, DropReason reason) {
    Counter counter = dropped.get(reason.ordinal());
    if (counter == null) {
      // registering twice is harmless: the registry returns the counter it has
      counter = Counter.builder(DROPPED).description("Inbound flag headers dropped, by reason")
          .tag("reason", tagValue(reason)).register(registry);
      dropped.set(reason.ordinal(), counter);
    }
    counter.increment();
  }

  @Override
  public void overrideAccepted(Map<String, String> variants) {
    Counter counter = accepted;
    if (counter == null) {
      counter = overrides("accepted", "none");
      accepted = counter;
    }
    counter.increment();
  }

  @Override
  public void overrideRejected(OverrideRejection reason) {
    Counter counter = rejected.get(reason.ordinal());
    if (counter == null) {
      counter = overrides("rejected", tagValue(reason));
      rejected.set(reason.ordinal(), counter);
    }
    counter.increment();
  }

  /** Counts a misroute; its flag and variant are those of a route, never raw input. */
  @Override
  public void misrouted(Misroute misroute) {
    Counter.builder(MISROUTES).description("Requests that reached a version the mesh should not have sent them to")
        .tag("flag", misroute.flagKey()).tag("variant", misroute.variant()).register(registry).increment();
  }

  /** Counts a carried variant the routes do not list; the flag key is a route's, the variant no tag. */
  @Override
  public void unknownVariant(String flagKey, String variant) {
    Counter.builder(UNKNOWN_VARIANTS).description("Variants a relay carried on that its routes do not list")
        .tag("flag", flagKey).register(registry).increment();
  }

  /** Counts a request with flag headers of another codec; both codecs come from a bounded set. */
  @Override
  public void codecMismatch(CodecMismatch mismatch) {
    Counter.builder(CODEC_MISMATCHES).description("Requests carrying flag headers of another codec than the relay's")
        .tag("expected", mismatch.expected()).tag("received", mismatch.received()).register(registry).increment();
  }

  /** Counts a fallback to the stable version; the service and version are a route's. */
  @Override
  public void versionFellBack(VersionFallback fallback) {
    Counter.builder(VERSION_FALLBACKS).description("Calls without a mesh that went to the stable version because"
        + " their version had no instance").tag("service", fallback.service()).tag("version", fallback.version())
        .register(registry).increment();
  }

  /** Counts a failed evaluation; the flag key is a route's. */
  @Override
  public void evaluationFailed(String flagKey, EvaluationFailure failure) {
    Counter.builder(FAILURES).description("Routing flag evaluations that failed, so the flag took its default")
        .tag("flag", flagKey).tag("failure", tagValue(failure)).register(registry).increment();
  }

  /** Counts an evaluation taken as stuck in the provider. */
  @Override
  public void routesChanged(RoutesChange change) {
    Counter.builder(ROUTES_CHANGES).description("Routes given to a running router, accepted or refused")
        .tag("outcome", change.accepted() ? "accepted" : "refused").register(registry).increment();
  }

  @Override
  public void evaluationStuck(int stuckEvaluations) {
    Counter counter = stuck;
    if (counter == null) {
      counter = Counter.builder(STUCK)
          .description("Routing flag evaluations taken as stuck in the provider, their threads replaced")
          .register(registry);
      stuck = counter;
    }
    counter.increment();
  }

  /** Counts an outbound call to a host outside the mesh that went without flags. */
  @Override
  public void egressBlocked(String host) {
    Counter counter = egressBlocked;
    if (counter == null) {
      counter = Counter.builder(EGRESS_BLOCKED)
          .description("Outbound calls to hosts outside the mesh, sent without flags, tokens or markers")
          .register(registry);
      egressBlocked = counter;
    }
    counter.increment();
  }

  private DecisionCounters countersFor(FlagRoutes routes) {
    DecisionCounters current = decisions;
    if (current.routes != routes) {
      current = new DecisionCounters(routes, registerAll(routes));
      decisions = current;
    }
    return current;
  }

  private List<Map<String, Map<Source, Counter>>> registerAll(FlagRoutes routes) {
    List<Map<String, Map<Source, Counter>>> byRoute = new ArrayList<>();
    for (FlagRoute route : routes) {
      Map<String, Map<Source, Counter>> byVariant = new HashMap<>();
      for (String variant : route.variants().keySet()) {
        Map<Source, Counter> bySource = new EnumMap<>(Source.class);
        for (Source source : Source.values()) {
          bySource.put(source, Counter.builder(DECISIONS).description("Routing flags decided, by flag, variant and source")
              .tag("flag", route.key()).tag("variant", variant).tag("source", tagValue(source)).register(registry));
        }
        byVariant.put(variant, bySource);
      }
      byRoute.add(byVariant);
    }
    return byRoute;
  }

  private static String tagValue(Enum<?> value) {
    return Metric.tagValue(value);
  }

  /** The counters of one set of routes, by route index, variant and source. */
  private record DecisionCounters(FlagRoutes routes, List<Map<String, Map<Source, Counter>>> counters) {
    /** Counts {@code decision}; an unknown variant has no series here ({@link #UNKNOWN_VARIANTS} counts it). */
    void increment(int routeIndex, FlagDecision decision) {
      Map<Source, Counter> bySource = counters.get(routeIndex).get(decision.variant());
      if (bySource != null) {
        bySource.get(decision.source()).increment();
      }
    }
  }
}
