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
import java.util.function.Function;

/**
 * Per-variant health of the requests a router routed, its rollout guard, and the changes of its
 * verdicts and ramps, as Micrometer meters named by {@link Metric}. Tag values come from the routes
 * and from enums only, so the series are bounded by the routes:
 * <ul>
 *   <li>{@code flagroute.requests} (timer; tags {@code flag}, {@code variant}, {@code version},
 *       {@code outcome} = {@code success} or {@code failure}): every request whose outcome an
 *       adapter reported, once per routing flag, with its latency in the buckets of
 *       {@link Metric#LATENCY_BUCKETS}; {@code version} is the version of the flag's service that
 *       the request's variants route to;
 *   <li>{@code flagroute.guard.transitions} (tags {@code flag}, {@code variant}, {@code state},
 *       {@code cause} = {@code evidence} or {@code operator}): rollout guard transitions into each
 *       state, operators' actions included;
 *   <li>{@code flagroute.guard.state} (gauge; tags {@code flag}, {@code variant}): 0 closed,
 *       1 open, 2 half-open, 3 forced off, for each variant the guard has changed;
 *   <li>{@code flagroute.guard.held} (tag {@code flag}): requests the guard gave the default
 *       variant instead of a failing one;
 *   <li>{@code flagroute.verdict.transitions} (tags {@code flag}, {@code variant}, {@code state}):
 *       verdicts changing into each state ({@code not_enough_data}, {@code no_difference},
 *       {@code worse}, {@code better});
 *   <li>{@code flagroute.ramp.transitions} (tags {@code flag}, {@code variant}, {@code state}):
 *       ramps entering each state ({@code pending}, {@code ramping} at each new step,
 *       {@code complete}, {@code rolled_back});
 *   <li>{@code flagroute.ramp.held} (tag {@code flag}): requests a ramp gave the default variant
 *       because the user is outside its current share.
 * </ul>
 * The current verdicts and ramps, as gauges, come from {@link RolloutMetrics}.
 */
@SuppressWarnings("exports") // the optional library its API uses is on the user's path by definition
public final class VariantHealthMetrics implements RoutingListener {
  /** Routed requests by flag, variant, served version and outcome, with latency. */
  public static final String REQUESTS = Metric.REQUESTS.meterName();
  /** Rollout guard transitions, by flag, variant, state entered and cause. */
  public static final String GUARD_TRANSITIONS = Metric.GUARD_TRANSITIONS.meterName();
  /** Rollout guard state per flag and variant: 0 closed, 1 open, 2 half-open, 3 forced off. */
  public static final String GUARD_STATE = Metric.GUARD_STATE.meterName();
  /** Requests held back to the default variant by the rollout guard, by flag. */
  public static final String GUARD_HELD = Metric.GUARD_HELD.meterName();
  /** Verdict changes, by flag, variant and state entered. */
  public static final String VERDICT_TRANSITIONS = Metric.VERDICT_TRANSITIONS.meterName();
  /** Ramp changes (new steps, completion, roll-backs), by flag, variant and state entered. */
  public static final String RAMP_TRANSITIONS = Metric.RAMP_TRANSITIONS.meterName();
  /** Requests a ramp gave the default variant, the user being outside its share, by flag. */
  public static final String RAMP_HELD = Metric.RAMP_HELD.meterName();

  private static final Duration[] BUCKETS = Metric.LATENCY_BUCKETS.toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> guardStates = new ConcurrentHashMap<>();
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
  /** {@link #register}, made once rather than per flag of every request. */
  private final Function<TimerKey, Timer> registering = this::register;

  /** Records into {@code registry}. */
  public VariantHealthMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void completed(FlagContext flags, RequestOutcome outcome) {
    boolean failed = outcome.failed();
    Function<FlagRoute, String> variantOf = r -> flags.variant(r.key());
    flags.forEach((route, decision) -> {
      if (!decision.isUnknownVariant()) {
        TimerKey key = new TimerKey(route.key(), decision.variant(), version(flags, route, variantOf), failed);
        Timer timer = timers.get(key);
        (timer != null ? timer : timers.computeIfAbsent(key, registering)).record(outcome.latency());
      }
    });
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
  private static String version(FlagContext flags, FlagRoute route, Function<FlagRoute, String> variantOf) {
    ServiceRoutes service = flags.routes().service(route.service());
    return service == null ? route.versionOf(flags.variant(route.key())) : service.version(variantOf);
  }

  @Override
  public void decided(FlagContext context) {
    context.forEach((route, decision) -> {
      if (FlagDecision.GUARDED.equals(decision.reason())) {
        Counter.builder(GUARD_HELD).description("Requests the rollout guard gave the default variant")
            .tag("flag", route.key()).register(registry).increment();
      } else if (FlagDecision.RAMP.equals(decision.reason())) {
        Counter.builder(RAMP_HELD).description("Requests a ramp gave the default variant, outside its share")
            .tag("flag", route.key()).register(registry).increment();
      }
    });
  }

  @Override
  public void guardChanged(GuardTransition transition) {
    Counter.builder(GUARD_TRANSITIONS).description("Rollout guard transitions, by the state entered and cause")
        .tag("flag", transition.flagKey()).tag("variant", transition.variant())
        .tag("cause", Metric.tagValue(transition.cause()))
        .tag("state", Metric.tagValue(transition.to())).register(registry).increment();
    guardStates.computeIfAbsent(transition.flagKey() + "\n" + transition.variant(), key -> {
      AtomicInteger state = new AtomicInteger();
      Gauge.builder(GUARD_STATE, state, AtomicInteger::get)
          .description("Rollout guard state: 0 closed, 1 open, 2 half-open, 3 forced off")
          .tag("flag", transition.flagKey()).tag("variant", transition.variant()).register(registry);
      return state;
    }).set(Metric.code(transition.to()));
  }

  @Override
  public void verdictChanged(Verdict verdict) {
    Counter.builder(VERDICT_TRANSITIONS).description("Verdict changes, by the state entered")
        .tag("flag", verdict.flagKey()).tag("variant", verdict.variant())
        .tag("state", Metric.tagValue(verdict.state())).register(registry).increment();
  }

  @Override
  public void rampChanged(RampStatus status) {
    Counter.builder(RAMP_TRANSITIONS).description("Ramp changes (new steps, roll-backs), by the state entered")
        .tag("flag", status.flagKey()).tag("variant", status.variant())
        .tag("state", Metric.tagValue(status.state())).register(registry).increment();
  }

  /** What tells one {@code flagroute.requests} timer from another. */
  private record TimerKey(String flag, String variant, String version, boolean failed) {}
}
