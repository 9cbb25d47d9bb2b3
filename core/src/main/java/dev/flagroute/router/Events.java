package dev.flagroute.router;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.internal.Fatal;
import dev.flagroute.observe.CodecMismatch;
import dev.flagroute.observe.Misroute;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutesChange;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.verdict.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
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
  private final WarningLimiter egressWarnings;
  private final WarningLimiter unknownVariantWarnings;
  private final WarningLimiter mismatchWarnings;
  private final LongAdder mismatches = new LongAdder();
  /** The last codec mismatch seen, or null. */
  private volatile CodecMismatch lastMismatch;
  private final boolean foreignHeadersReported;

  Events(RoutingListener listener, Clock clock, int routes, boolean reportForeignHeaders) {
    this.listener = listener;
    this.foreignHeadersReported = reportForeignHeaders && listener != RoutingListener.NOOP;
    this.failureWarnings = new WarningLimiter(clock, routes);
    this.misrouteWarnings = new WarningLimiter(clock, routes);
    this.stuckWarnings = new WarningLimiter(clock, 1);
    this.egressWarnings = new WarningLimiter(clock, 1);
    this.unknownVariantWarnings = new WarningLimiter(clock, routes);
    this.mismatchWarnings = new WarningLimiter(clock, 1);
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

  /** A relayed variant the routes do not list was carried on: one warning per flag a minute. */
  void unknownVariant(int routeIndex, String flagKey, String variant) {
    if (unknownVariantWarnings.tryAcquire(routeIndex)) {
      log.warn("flag '{}' arrived with variant '{}', which this service's routes do not list; it is carried on"
          + " unchanged and the application sees it with reason UNKNOWN_VARIANT: an earlier hop runs newer routes,"
          + " deploy them here (further warnings for this flag suppressed for a minute)", flagKey, variant);
    } else {
      log.debug("carried unknown variant '{}' of flag '{}'", variant, flagKey);
    }
    try {
      listener.unknownVariant(flagKey, variant);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on unknownVariant", e);
    }
  }

  /** Flag headers of another codec arrived: one warning a minute, naming both codecs. */
  void codecMismatch(CodecMismatch mismatch) {
    mismatches.increment();
    lastMismatch = mismatch;
    if (mismatchWarnings.tryAcquire(0)) {
      log.warn("this relay reads flags with {}, but a request carried header '{}', written by {}; it is not read,"
          + " since the mesh routes by one codec: configure the same codec on every service and in the mesh rules"
          + " (further warnings suppressed for a minute)", mismatch.expected(), mismatch.header(), mismatch.received());
    } else {
      log.debug("codec mismatch: {}", mismatch);
    }
    try {
      listener.codecMismatch(mismatch);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on codecMismatch", e);
    }
  }

  /** Requests that carried flag headers of another codec, so far. */
  long codecMismatches() {
    return mismatches.sum();
  }

  /** The last codec mismatch seen, or null. */
  CodecMismatch lastCodecMismatch() {
    return lastMismatch;
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

  void routesChanged(RoutesChange change) {
    try {
      listener.routesChanged(change);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on routesChanged", e);
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

  /** An outbound call to {@code host}, outside the mesh, went without flags: reported, logged, warned once a minute. */
  void egressBlocked(String host) {
    if (egressWarnings.tryAcquire(0)) {
      log.warn("an outbound call to {}, which is not a mesh host, was sent without flag headers, override tokens"
          + " or shadow markers; add the host to the mesh hosts (egress.hosts) if it is inside the mesh (further"
          + " warnings suppressed for a minute)", printable(host));
    } else if (log.isDebugEnabled()) {
      log.debug("outbound call to {} sent without flags: not a mesh host", printable(host));
    }
    try {
      listener.egressBlocked(host);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      log.debug("routing listener failed on egressBlocked", e);
    }
  }

  /** {@code text} safe for a log line: printable ASCII, at most 256 characters, quoted. */
  private static String printable(String text) {
    if (text == null) {
      return "(no host)";
    }
    StringBuilder safe = new StringBuilder("'");
    for (int i = 0; i < Math.min(text.length(), 256); i++) {
      char c = text.charAt(i);
      safe.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return safe.append(text.length() > 256 ? "...'" : "'").toString();
  }
}
