package dev.flagroute.servlet;

import dev.flagroute.context.FlagScope;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.NoOpTransactionContextPropagator;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.TransactionContextPropagator;
import org.slf4j.MDC;

/**
 * Makes a request's decision current on a thread, as {@code FlagContext}, OpenFeature transaction
 * context and MDC entry, and restores what the thread had before when the scope closes.
 */
final class ThreadBinder {
  private final String mdcKey;
  private final OpenFeatureAPI openFeature;

  /**
   * @param mdcKey the MDC key, or {@code null} for no MDC entry
   * @param openFeature the API whose transaction context to set, or {@code null} for none
   */
  ThreadBinder(String mdcKey, OpenFeatureAPI openFeature) {
    this.mdcKey = mdcKey;
    this.openFeature = openFeature;
  }

  /** Binds {@code request} to this thread until the returned scope is closed, on this thread. */
  FlagScope bind(RequestFlags request) {
    return new Binding(request);
  }

  /** A task that runs {@code task} with {@code request} bound to whichever thread runs it. */
  Runnable wrap(RequestFlags request, Runnable task) {
    return () -> {
      try (FlagScope ignored = bind(request)) {
        task.run();
      }
    };
  }

  /**
   * The transaction context propagator to set, or {@code null} when none is wanted or the app has
   * configured none (the SDK's default no-op one).
   */
  private TransactionContextPropagator propagator() {
    if (openFeature == null) {
      return null;
    }
    TransactionContextPropagator propagator = openFeature.getTransactionContextPropagator();
    return propagator instanceof NoOpTransactionContextPropagator ? null : propagator;
  }

  private final class Binding implements FlagScope {
    private final FlagScope flags;
    private TransactionContextPropagator propagator;
    private EvaluationContext previousTransaction;
    private boolean mdcSet;
    private String previousMdc;
    private boolean closed;

    Binding(RequestFlags request) {
      flags = request.flags().makeCurrent();
      try {
        TransactionContextPropagator candidate = propagator();
        if (candidate != null) {
          previousTransaction = candidate.getTransactionContext();
          candidate.setTransactionContext(request.evaluationContext());
          propagator = candidate;
        }
        if (mdcKey != null) {
          previousMdc = MDC.get(mdcKey);
          MDC.put(mdcKey, request.mdcValue());
          mdcSet = true;
        }
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (mdcSet) {
          if (previousMdc == null) {
            MDC.remove(mdcKey);
          } else {
            MDC.put(mdcKey, previousMdc);
          }
        }
        if (propagator != null) {
          propagator.setTransactionContext(previousTransaction);
        }
      } finally {
        flags.close();
      }
    }
  }
}
