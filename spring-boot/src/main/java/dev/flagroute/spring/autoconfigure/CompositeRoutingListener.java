package dev.flagroute.spring.autoconfigure;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.observe.Misroute;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.observe.VersionFallback;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.verdict.Verdict;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells every {@link RoutingListener} bean, so that one that throws does not silence the others. */
final class CompositeRoutingListener implements RoutingListener {
  private static final Logger log = LoggerFactory.getLogger(CompositeRoutingListener.class);

  private final List<RoutingListener> listeners;

  private CompositeRoutingListener(List<RoutingListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** One listener for all of {@code listeners}: the no-op, the only one, or a composite. */
  static RoutingListener of(List<RoutingListener> listeners) {
    return switch (listeners.size()) {
      case 0 -> RoutingListener.NOOP;
      case 1 -> listeners.get(0);
      default -> new CompositeRoutingListener(listeners);
    };
  }

  @Override
  public void decided(FlagContext context) {
    each(listener -> listener.decided(context));
  }

  @Override
  public void headerDropped(String header, DropReason reason) {
    each(listener -> listener.headerDropped(header, reason));
  }

  @Override
  public void overrideAccepted(Map<String, String> variants) {
    each(listener -> listener.overrideAccepted(variants));
  }

  @Override
  public void overrideRejected(OverrideRejection reason) {
    each(listener -> listener.overrideRejected(reason));
  }

  @Override
  public void misrouted(Misroute misroute) {
    each(listener -> listener.misrouted(misroute));
  }

  @Override
  public void evaluationFailed(String flagKey, EvaluationFailure failure) {
    each(listener -> listener.evaluationFailed(flagKey, failure));
  }

  @Override
  public void completed(FlagContext flags, RequestOutcome outcome) {
    each(listener -> listener.completed(flags, outcome));
  }

  @Override
  public void guardChanged(GuardTransition transition) {
    each(listener -> listener.guardChanged(transition));
  }

  @Override
  public void verdictChanged(Verdict verdict) {
    each(listener -> listener.verdictChanged(verdict));
  }

  @Override
  public void rampChanged(RampStatus status) {
    each(listener -> listener.rampChanged(status));
  }

  @Override
  public void versionFellBack(VersionFallback fallback) {
    each(listener -> listener.versionFellBack(fallback));
  }

  private void each(Consumer<RoutingListener> event) {
    for (RoutingListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.debug("routing listener {} failed", listener, e);
      }
    }
  }
}
