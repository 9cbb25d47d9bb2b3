package dev.flagroute.router;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.internal.access.CodecAccess;
import dev.flagroute.routes.FlagRoutes;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Everything a router builds over one set of routes: the bound codec, the events, the evaluator,
 * the rollout guard and the pipeline. Immutable once built; a router that reloads its routes swaps
 * one state for the next in a single write, so a request reads one state and keeps it throughout.
 */
final class RouterState {
  final FlagRoutes routes;
  final HeaderCodec codec;
  final Events events;
  /** The evaluator, or null when this router evaluates nothing (a relay that only carries). */
  final EdgeEvaluator evaluator;
  /** The rollout guard, or null when no flag is guarded. */
  final RolloutGuard guard;
  final RoutePipeline pipeline;

  /** Builds the state of {@code setup}, whose options have been checked. */
  RouterState(RouterSetup setup) {
    this.routes = setup.routes;
    this.codec = CodecAccess.bind(setup.codec, routes, setup.limits, setup.overrideHeader, setup.shadowHeader);
    Clock clock = setup.clock == null ? Clock.systemUTC() : setup.clock;
    this.events = new Events(setup.listener(), clock, routes.size(), setup.reportForeignHeaders);
    this.evaluator = setup.mode == RoutingMode.EDGE || setup.evaluateMissing ? evaluator(setup, clock, events) : null;
    this.guard = setup.guards.isEmpty() ? null : RolloutGuard.of(routes, setup.guards, clock, events::guardChanged);
    this.pipeline = setup.mode == RoutingMode.EDGE
        ? new EdgePipeline(routes, codec, events, evaluator, setup.overrides, setup.overrideHeader,
            setup.shadowHeader, guard)
        : new RelayPipeline(routes, codec, events, evaluator, setup.shadowHeader, setup.limits, setup.misroutes);
  }

  private static EdgeEvaluator evaluator(RouterSetup setup, Clock clock, Events events) {
    DecisionCache cache = null;
    if (setup.cacheSize > 0) {
      Ticker ticker = setup.clock == null ? Ticker.systemTicker()
          : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
      cache = new DecisionCache(setup.cacheSize, setup.cacheTtl, setup.cacheKeyAttributes.toArray(String[]::new),
          setup.cacheIgnoredAttributes.toArray(String[]::new), ticker);
    }
    return new EdgeEvaluator(setup.routes, setup.client, events, cache, setup.deadline, clock);
  }
}
