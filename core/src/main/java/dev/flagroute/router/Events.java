package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.internal.Fatal;
import dev.flagroute.observe.Misroute;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.verdict.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what the router does to its listener and the log: debug per request, and at most one
 * warning per flag per minute for failures and misroutes. A listener that throws (an exception or
 * an error other than those {@link Fatal} lets through) is logged at debug and otherwise ignored.
 */
final class Events {
  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  private final RoutingListener listener;
  private final WarningLimiter failureWarnings;
  private final WarningLimiter misrouteWarnings;
  private final WarningLimiter stuckWarnings;
  private final boolean foreignHeadersReported;

  Events(RoutingListener listener, Clock clock, int routes, boolean reportForeignHeaders) {
    this.listener = listener;
    this.foreignHeadersReported = reportForeignHeaders && listener != RoutingListener.NOOP;
    this.failureWarnings = new WarningLimiter(clock, routes);
    this.misrouteWarnings = new WarningLimiter(clock, routes);
    this.stuckWarnings = new WarningLimiter(clock, 1);
  }

  /**
   * Whether flag headers the router will not use are to be looked for: when the listener asked to
   * hear of them, or the debug log is on. The look costs a pass over every inbound header name.
   */
  boolean foreignHeadersHeard() {
    return foreignHeadersReported || log.isDebugEnabled();
  }

  void dropped(String header, DropReason reason) {
    log.debug("dropped inbound flag header {}: {}", header, reason);
    try {
      listener.headerDropped(header, reason);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on headerDropped", e);
    }
  }

  void decided(FlagContext context) {
    try {
      listener.decided(context);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on decided", e);
    }
  }

  void overrideAccepted(Map<String, String> variants) {
    log.debug("override token accepted: {}", variants);
    try {
      listener.overrideAccepted(variants);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on overrideAccepted", e);
    }
  }

  void overrideRejected(OverrideRejection reason) {
    log.debug("override token rejected: {}", reason);
    try {
      listener.overrideRejected(reason);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on overrideRejected", e);
    }
  }

  void misrouted(int routeIndex, Misroute misroute) {
    if (misrouteWarnings.tryAcquire(routeIndex)) {
      log.warn("misrouted request: flag '{}' variant '{}' is served by {} version '{}', but it reached version"
          + " '{}'; check the mesh rules (further warnings for this flag suppressed for a minute)",
          misroute.flagKey(), misroute.variant(), misroute.service(), misroute.expectedVersion(), misroute.version());
    } else {
      log.debug("misrouted request: {}", misroute);
    }
    try {
      listener.misrouted(misroute);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on misrouted", e);
    }
  }

  void evaluationFailed(int routeIndex, FlagRoute route, EvaluationFailure failure, String detail) {
    if (failureWarnings.tryAcquire(routeIndex)) {
      log.warn("routing flag '{}' takes its default variant '{}': {}{} (further warnings for this flag"
          + " suppressed for a minute)", route.key(), route.defaultVariant(), failure,
          detail == null ? "" : " (" + detail + ")");
    } else {
      log.debug("routing flag '{}' takes its default variant: {} {}", route.key(), failure, detail);
    }
    try {
      listener.evaluationFailed(route.key(), failure);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on evaluationFailed", e);
    }
  }

  void completed(FlagContext flags, RequestOutcome outcome) {
    try {
      listener.completed(flags, outcome);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on completed", e);
    }
  }

  void guardChanged(GuardTransition transition) {
    try {
      listener.guardChanged(transition);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on guardChanged", e);
    }
  }

  void verdictChanged(Verdict verdict) {
    try {
      listener.verdictChanged(verdict);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on verdictChanged", e);
    }
  }

  void rampChanged(RampStatus status) {
    try {
      listener.rampChanged(status);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on rampChanged", e);
    }
  }

  void evaluationStuck(int stuckEvaluations) {
    try {
      listener.evaluationStuck(stuckEvaluations);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on evaluationStuck", e);
    }
  }

  /** Warns, at most once a minute, that {@code stuck} evaluations have run for over {@code after}. */
  void stuckEvaluationsFound(int stuck, Duration after, int maxThreads) {
    String running = after.toMillis() % 1000 == 0 ? after.toSeconds() + "s" : after.toMillis() + "ms";
    if (stuckWarnings.tryAcquire(0)) {
      log.warn("{} flag evaluations are stuck in the provider, running for over {}; until one answers in time,"
          + " one evaluation at a time probes the provider, less often while probes hang, and other cache misses"
          + " take default variants; at most {} evaluation threads in all (further warnings suppressed for a"
          + " minute)", stuck, running, maxThreads);
    } else {
      log.debug("{} flag evaluations are stuck in the provider, running for over {}", stuck, running);
    }
  }
}
