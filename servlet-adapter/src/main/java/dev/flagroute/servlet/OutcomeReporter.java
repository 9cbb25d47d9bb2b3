package dev.flagroute.servlet;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.router.FlagRouter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports how each request ended to the router, once: when the first dispatch returns, or, for a
 * request that went async, when its async processing completes. A request fails with a status of
 * 500 or more, an exception out of the chain, or an async error (a timeout counts by the status
 * it ends with: the container's 500, or whatever the application answered).
 */
final class OutcomeReporter {
  private static final Logger log = LoggerFactory.getLogger(OutcomeReporter.class);

  private OutcomeReporter() {}

  /**
   * Reports the request whose first dispatch, started at {@code startNanos}, just returned
   * ({@code thrown}: by an exception).
   */
  static void dispatched(FlagRouter router, HttpServletRequest request, HttpServletResponse response, FlagContext flags,
      long startNanos, boolean thrown) {
    try {
      if (!thrown && request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new AsyncOutcome(router, flags, startNanos));
      } else {
        router.completed(flags, RequestOutcome.since(startNanos, thrown || response.getStatus() >= 500));
      }
    } catch (RuntimeException e) {
      log.debug("could not report the request's outcome", e);
    }
  }

  /** Reports an async request when it completes, failed if it failed on the way or by its status. */
  private static final class AsyncOutcome implements AsyncListener {
    private final FlagRouter router;
    private final FlagContext flags;
    private final long startNanos;
    private final AtomicBoolean failed = new AtomicBoolean();

    AsyncOutcome(FlagRouter router, FlagContext flags, long startNanos) {
      this.router = router;
      this.flags = flags;
      this.startNanos = startNanos;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      boolean serverError = event.getSuppliedResponse() instanceof HttpServletResponse response
          && response.getStatus() >= 500;
      router.completed(flags, RequestOutcome.since(startNanos, failed.get() || serverError));
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // judged by the status it completes with
    }

    @Override
    public void onError(AsyncEvent event) {
      failed.set(true);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
