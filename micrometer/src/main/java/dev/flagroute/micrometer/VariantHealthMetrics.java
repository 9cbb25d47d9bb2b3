package dev.flagroute.micrometer;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.observe.Metric;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.ServiceRoutes;
import dev.flagroute.verdict.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Per-variant health of the requests a router routed, its rollout guard, verdicts and ramps, as
 * Micrometer meters named by {@link Metric}. Tag values come from the routes and from enums only, so
 * the series are bounded by the routes:
 * <ul>
 *   <li>{@code flagroute.requests} (timer; tags {@code flag}, {@code variant}, {@code version},
 *       {@code outcome} = {@code success} or {@code failure}): every request whose outcome an
 *       adapter reported, once per routing flag, with its latency in the buckets of
 *       {@link Metric#LATENCY_BUCKETS}; {@code version} is the version of the flag's service that
 *       the request's variants route to;
 *   <li>{@code flagroute.guard.transitions} (tags {@code flag}, {@code variant}, {@code state}):
 *       rollout guard transitions into each state;
 *   <li>{@code flagroute.guard.state} (gauge; tags {@code flag}, {@code variant}): 0 closed,
 *       1 open, 2 half-open, for each variant the guard has changed;
 *   <li>{@code flagroute.guard.held} (tag {@code flag}): requests the guard gave the default
 *       variant instead of a failing one;
 *   <li>{@code flagroute.verdict.state} (gauge; tags {@code flag}, {@code variant}): the verdict
 *       against the default, 0 not enough data, 1 no difference, 2 worse, 3 better, for each
 *       variant whose verdict has changed;
 *   <li>{@code flagroute.ramp.share} and {@code flagroute.ramp.state} (gauges; tags {@code flag},
 *       {@code variant}): a ramped variant's share of users now, 0 to 1, and its state, 0
 *       pending, 1 ramping, 2 complete, 3 rolled back, for each ramp that has changed.
 * </ul>
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class VariantHealthMetrics implements RoutingListener {
  /** Routed requests by flag, variant, served version and outcome, with latency. */
  public static final String REQUESTS = Metric.REQUESTS.meterName();
  /** Rollout guard transitions, by flag, variant and state entered. */
  public static final String GUARD_TRANSITIONS = Metric.GUARD_TRANSITIONS.meterName();
  /** Rollout guard state per flag and variant: 0 closed, 1 open, 2 half-open. */
  public static final String GUARD_STATE = Metric.GUARD_STATE.meterName();
  /** Requests held back to the default variant by the rollout guard, by flag. */
  public static final String GUARD_HELD = Metric.GUARD_HELD.meterName();
  /** Verdict per flag and variant: 0 not enough data, 1 no difference, 2 worse, 3 better. */
  public static final String VERDICT_STATE = Metric.VERDICT_STATE.meterName();
  /** Share of users a ramped variant may reach now, 0 to 1. */
  public static final String RAMP_SHARE = Metric.RAMP_SHARE.meterName();
  /** Ramp state per flag and variant: 0 pending, 1 ramping, 2 complete, 3 rolled back. */
  public static final String RAMP_STATE = Metric.RAMP_STATE.meterName();

  private static final Duration[] BUCKETS = Metric.LATENCY_BUCKETS.toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> guardStates = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> verdictStates = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<RampStatus>> ramps = new ConcurrentHashMap<>();
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  /** Records into {@code registry}. */
  public VariantHealthMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void completed(FlagContext flags, RequestOutcome outcome) {
    boolean failed = outcome.failed();
    flags.forEach((route, decision) -> timers.computeIfAbsent(
        new TimerKey(route.key(), decision.variant(), version(flags, route), failed), this::register)
        .record(outcome.latency()));
  }

  /**
   * Registers the timer of {@code key}. Requests look timers up in {@link #timers} instead of
   * through the registry's builder, which costs microseconds per meter; there is one per flag,
   * variant, version and outcome of the routes, so the map is bounded by them.
   */
  private Timer register(TimerKey key) {
    return Timer.builder(REQUESTS).description("Routed requests by flag, variant, served version and outcome")
        .tag("flag", key.flag()).tag("variant", key.variant()).tag("version", key.version())
        .tag("outcome", key.failed() ? "failure" : "success").serviceLevelObjectives(BUCKETS).register(registry);
  }

  /** The version of the flag's service that the request's variants route to, by the routes' precedence. */
  private static String version(FlagContext flags, FlagRoute route) {
    ServiceRoutes service = flags.routes().service(route.service());
    return service == null ? route.versionOf(flags.variant(route.key())) : service.version(r -> flags.variant(r.key()));
  }

  @Override
  public void decided(FlagContext context) {
    context.forEach((route, decision) -> {
      if (FlagDecision.GUARDED.equals(decision.reason())) {
        Counter.builder(GUARD_HELD).description("Requests the rollout guard gave the default variant")
            .tag("flag", route.key()).register(registry).increment();
      }
    });
  }

  @Override
  public void guardChanged(GuardTransition transition) {
    Counter.builder(GUARD_TRANSITIONS).description("Rollout guard transitions, by the state entered")
        .tag("flag", transition.flagKey()).tag("variant", transition.variant())
        .tag("state", Metric.tagValue(transition.to())).register(registry).increment();
    stateGauge(guardStates, GUARD_STATE, "Rollout guard state: 0 closed, 1 open, 2 half-open",
        transition.flagKey(), transition.variant()).set(Metric.code(transition.to()));
  }

  @Override
  public void verdictChanged(Verdict verdict) {
    stateGauge(verdictStates, VERDICT_STATE, "Verdict against the default: 0 not enough data, 1 no difference,"
        + " 2 worse, 3 better", verdict.flagKey(), verdict.variant()).set(Metric.code(verdict.state()));
  }

  @Override
  public void rampChanged(RampStatus status) {
    ramps.computeIfAbsent(status.flagKey() + "\n" + status.variant(), key -> {
      AtomicReference<RampStatus> current = new AtomicReference<>(status);
      Gauge.builder(RAMP_SHARE, current, ramp -> ramp.get().percent() / 100)
          .description("Share of users a ramped variant may reach now, 0 to 1")
          .tag("flag", status.flagKey()).tag("variant", status.variant()).register(registry);
      Gauge.builder(RAMP_STATE, current, ramp -> Metric.code(ramp.get().state()))
          .description("Ramp state: 0 pending, 1 ramping, 2 complete, 3 rolled back")
          .tag("flag", status.flagKey()).tag("variant", status.variant()).register(registry);
      return current;
    }).set(status);
  }

  /** The value behind the state gauge {@code name} of one flag and variant, registered on first use. */
  private AtomicInteger stateGauge(Map<String, AtomicInteger> states, String name, String description, String flag,
      String variant) {
    return states.computeIfAbsent(flag + "\n" + variant, key -> {
      AtomicInteger state = new AtomicInteger();
      Gauge.builder(name, state, AtomicInteger::get).description(description)
          .tag("flag", flag).tag("variant", variant).register(registry);
      return state;
    });
  }

  /** What tells one {@code flagroute.requests} timer from another. */
  private record TimerKey(String flag, String variant, String version, boolean failed) {}
}
