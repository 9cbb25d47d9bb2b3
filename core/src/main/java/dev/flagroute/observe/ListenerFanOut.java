package dev.flagroute.observe;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.internal.Fatal;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.verdict.Verdict;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells several listeners every event, in order: one that throws (an exception, or an error other
 * than those {@link Fatal} lets through) is logged, at WARN at most once a minute per listener and
 * at debug otherwise, and the next listener still hears the event.
 */
final class ListenerFanOut implements RoutingListener {
  private static final Logger log = LoggerFactory.getLogger(RoutingListener.class);
  private static final long WARN_INTERVAL_MILLIS = 60_000;

  private final List<RoutingListener> listeners;
  private final AtomicLongArray nextWarning;

  ListenerFanOut(List<RoutingListener> listeners) {
    this.listeners = listeners;
    this.nextWarning = new AtomicLongArray(listeners.size());
  }

  /** The listeners told, in order. */
  List<RoutingListener> listeners() {
    return listeners;
  }

  @Override
  public void decided(FlagContext context) {
    each("decided", listener -> listener.decided(context));
  }

  @Override
  public void headerDropped(String header, DropReason reason) {
    each("headerDropped", listener -> listener.headerDropped(header, reason));
  }

  @Override
  public void unknownVariant(String flagKey, String variant) {
    each("unknownVariant", listener -> listener.unknownVariant(flagKey, variant));
  }

  @Override
  public void codecMismatch(CodecMismatch mismatch) {
    each("codecMismatch", listener -> listener.codecMismatch(mismatch));
  }

  @Override
  public void overrideAccepted(Map<String, String> variants) {
    each("overrideAccepted", listener -> listener.overrideAccepted(variants));
  }

  @Override
  public void overrideRejected(OverrideRejection reason) {
    each("overrideRejected", listener -> listener.overrideRejected(reason));
  }

  @Override
  public void misrouted(Misroute misroute) {
    each("misrouted", listener -> listener.misrouted(misroute));
  }

  @Override
  public void evaluationFailed(String flagKey, EvaluationFailure failure) {
    each("evaluationFailed", listener -> listener.evaluationFailed(flagKey, failure));
  }

  @Override
  public void completed(FlagContext flags, RequestOutcome outcome) {
    each("completed", listener -> listener.completed(flags, outcome));
  }

  @Override
  public void guardChanged(GuardTransition transition) {
    each("guardChanged", listener -> listener.guardChanged(transition));
  }

  @Override
  public void verdictChanged(Verdict verdict) {
    each("verdictChanged", listener -> listener.verdictChanged(verdict));
  }

  @Override
  public void rampChanged(RampStatus status) {
    each("rampChanged", listener -> listener.rampChanged(status));
  }

  @Override
  public void evaluationStuck(int stuckEvaluations) {
    each("evaluationStuck", listener -> listener.evaluationStuck(stuckEvaluations));
  }

  @Override
  public void egressBlocked(String host) {
    each("egressBlocked", listener -> listener.egressBlocked(host));
  }

  @Override
  public void versionFellBack(VersionFallback fallback) {
    each("versionFellBack", listener -> listener.versionFellBack(fallback));
  }

  @Override
  public void routesChanged(RoutesChange change) {
    each("routesChanged", listener -> listener.routesChanged(change));
  }

  private void each(String event, Consumer<RoutingListener> call) {
    for (int i = 0; i < listeners.size(); i++) {
      RoutingListener listener = listeners.get(i);
      try {
        call.accept(listener);
      } catch (Throwable e) {
        Fatal.rethrowIfFatal(e);
        failed(i, listener, event, e);
      }
    }
  }

  private void failed(int index, RoutingListener listener, String event, Throwable e) {
    long now = System.currentTimeMillis();
    long next = nextWarning.get(index);
    if (now >= next && nextWarning.compareAndSet(index, next, now + WARN_INTERVAL_MILLIS)) {
      log.warn("routing listener {} failed on {} ({}); the other listeners still hear every event (further"
          + " warnings for this listener suppressed for a minute)", listener.getClass().getName(), event, e.toString());
    }
    log.debug("routing listener {} failed on {}", listener, event, e);
  }
}
