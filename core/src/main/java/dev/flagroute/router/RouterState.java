package dev.flagroute.router;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.guard.GuardState;
import dev.flagroute.internal.access.CodecAccess;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.verdict.VerdictState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a router builds over one set of routes: the bound codec, the events, the evaluator,
 * the rollout guard, the verdicts and ramps, and the pipeline. Immutable once built; a router that
 * reloads its routes swaps one state for the next in a single write, so a request reads one state
 * and keeps it throughout.
 */
final class RouterState {
  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  final FlagRoutes routes;
  final HeaderCodec codec;
  final Events events;
  /** The evaluator, or null when this router evaluates nothing (a relay that only carries). */
  final EdgeEvaluator evaluator;
  /** The rollout guard, or null when no flag is guarded. */
  final RolloutGuard guard;
  /** The verdicts and ramps, or null when no flag has either or in RELAY mode. */
  final Rollouts rollouts;
  final RoutePipeline pipeline;

  /** Builds the state of {@code setup}, whose options have been checked. */
  RouterState(RouterSetup setup) {
    this.routes = setup.routes;
    Clock clock = setup.clock == null ? Clock.systemUTC() : setup.clock;
    this.events = new Events(setup.listener(), clock, routes.size(), setup.reportForeignHeaders);
    this.codec = CodecAccess.bind(setup.codec, routes, setup.limits, setup.overrideHeader, setup.shadowHeader,
        setup.meshHosts, events::egressBlocked);
    this.evaluator = setup.mode == RoutingMode.EDGE || setup.evaluateMissing ? evaluator(setup, clock, events) : null;
    this.guard = setup.guards.isEmpty() ? null : RolloutGuard.of(routes, setup.guards, clock, events::guardChanged);
    Rollouts made = setup.mode != RoutingMode.EDGE ? null
        : Rollouts.of(routes, setup.verdicts, clock, events::verdictChanged, events::rampChanged, setup.cacheSize);
    this.rollouts = made == null || made.isEmpty() ? null : made;
    this.pipeline = setup.mode == RoutingMode.EDGE
        ? new EdgePipeline(routes, codec, events, evaluator, setup.overrides, setup.overrideHeader,
            setup.shadowHeader, guard, rollouts)
        : new RelayPipeline(routes, codec, events, evaluator, setup.shadowHeader, setup.limits, setup.misroutes);
  }

  /** Counts how a request of these routes, not a shadow, ended towards the guard and the verdicts. */
  void count(FlagContext flags, RequestOutcome outcome) {
    if (guard != null) {
      try {
        guard.record(flags, outcome);
      } catch (RuntimeException e) {
        log.debug("rollout guard failed to count an outcome", e);
      }
    }
    if (rollouts != null) {
      try {
        rollouts.record(flags, outcome.failed(), outcome.latency());
      } catch (RuntimeException e) {
        log.debug("verdicts failed to count an outcome", e);
      }
    }
  }

  /**
   * The variants this state holds back and a fresh state releases: each guarded variant whose
   * guard is not closed, each judged variant whose verdict is WORSE, as {@code flag/variant (state)}.
   */
  List<String> heldBack() {
    List<String> held = new ArrayList<>();
    if (guard != null) {
      guard.status().stream().filter(status -> status.state() != GuardState.CLOSED)
          .forEach(status -> held.add(status.flagKey() + "/" + status.variant() + " (guard " + status.state() + ")"));
    }
    if (rollouts != null) {
      rollouts.verdicts().stream().filter(verdict -> verdict.state() == VerdictState.WORSE)
          .forEach(verdict -> held.add(verdict.flagKey() + "/" + verdict.variant() + " (WORSE)"));
    }
    return held;
  }

  private static EdgeEvaluator evaluator(RouterSetup setup, Clock clock, Events events) {
    DecisionCache cache = null;
    if (setup.cacheSize > 0) {
      Ticker ticker = setup.clock == null ? Ticker.systemTicker()
          : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
      cache = new DecisionCache(setup.cacheSize, setup.cacheTtl, setup.cacheKeyAttributes.toArray(String[]::new),
          setup.cacheIgnoredAttributes.toArray(String[]::new), ticker);
    }
    return new EdgeEvaluator(setup.routes, setup.client, events, cache, setup.deadline, clock,
        new IgnoredAttributes(setup.cacheIgnoredAttributes));
  }
}
