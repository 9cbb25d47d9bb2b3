package dev.flagroute.servlet;

import dev.flagroute.context.FlagContext;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.MDC;

/**
 * The outermost filter: on every container thread that enters or leaves a request, async or error
 * dispatch, records anything a request left behind: a current FlagContext, an OpenFeature
 * transaction context or the MDC entry. Threads are pooled, so leftovers of one request (or of an
 * {@code AsyncContext.start} task) show up when the thread enters the next one.
 */
final class LeakProbe implements Filter {
  private static final int MAX_RECORDED = 50;

  private final OpenFeatureAPI openFeature;
  private final AtomicLong checks = new AtomicLong();
  private final Queue<String> leaks = new ConcurrentLinkedQueue<>();

  LeakProbe(OpenFeatureAPI openFeature) {
    this.openFeature = openFeature;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    DispatcherType type = request.getDispatcherType();
    boolean outermost = type == DispatcherType.REQUEST || type == DispatcherType.ASYNC || type == DispatcherType.ERROR;
    if (outermost) {
      check("entering " + type);
    }
    try {
      chain.doFilter(request, response);
    } finally {
      if (outermost) {
        check("leaving " + type);
      }
    }
  }

  private void check(String where) {
    checks.incrementAndGet();
    FlagContext flags = FlagContext.current();
    if (!flags.isEmpty()) {
      record(where + ": FlagContext " + flags);
    }
    EvaluationContext transaction = openFeature.getTransactionContextPropagator().getTransactionContext();
    if (transaction != null && !transaction.isEmpty()) {
      record(where + ": transaction context " + transaction.getTargetingKey());
    }
    String mdc = MDC.get(FlagTestApp.MDC_KEY);
    if (mdc != null) {
      record(where + ": MDC " + mdc);
    }
  }

  private void record(String leak) {
    if (leaks.size() < MAX_RECORDED) {
      leaks.add(Thread.currentThread().getName() + " " + leak);
    }
  }

  /** How many times a thread was checked. */
  long checks() {
    return checks.get();
  }

  /** What was found left behind, up to 50 entries. */
  List<String> leaks() {
    return List.copyOf(leaks);
  }
}
