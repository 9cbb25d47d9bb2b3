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
 * request that went async, when its async processing completes, as seen by {@code user} (see
 * {@link RequestOutcome#user(String, String)}). A request fails, by core's rule
 * ({@link RequestOutcome#serverFault(int)}), with a 5xx status, an exception out of the chain, or
 * an async error (a timeout counts by the status it ends with: the container's 500, or whatever the
 * application answered); a 4xx never fails it.
 */
final class OutcomeReporter {
  private static final Logger log = LoggerFactory.getLogger(OutcomeReporter.class);

  private OutcomeReporter() {}

  /**
   * Reports the request of {@code user} whose first dispatch, started at {@code startNanos}, just
   * returned ({@code thrown}: by an exception).
   */
  static void dispatched(FlagRouter router, HttpServletRequest request, HttpServletResponse response, FlagContext flags,
      String user, long startNanos, boolean thrown) {
    try {
      if (!thrown && request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new AsyncOutcome(router, flags, user, startNanos));
      } else {
        router.completed(flags, outcome(startNanos, thrown || RequestOutcome.serverFault(response.getStatus()), user));
      }
    } catch (RuntimeException e) {
      log.debug("could not report the request's outcome", e);
    }
  }

  private static RequestOutcome outcome(long startNanos, boolean failed, String user) {
    RequestOutcome outcome = RequestOutcome.since(startNanos, failed);
    return new RequestOutcome(outcome.failed(), outcome.latency(), user);
  }

  /** Reports an async request when it completes, failed if it failed on the way or by its status. */
  private static final class AsyncOutcome implements AsyncListener {
    private final FlagRouter router;
    private final FlagContext flags;
    private final String user;
    private final long startNanos;
    private final AtomicBoolean failed = new AtomicBoolean();

    AsyncOutcome(FlagRouter router, FlagContext flags, String user, long startNanos) {
      this.router = router;
      this.flags = flags;
      this.user = user;
      this.startNanos = startNanos;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      boolean serverError = event.getSuppliedResponse() instanceof HttpServletResponse response
          && RequestOutcome.serverFault(response.getStatus());
      router.completed(flags, outcome(startNanos, failed.get() || serverError, user));
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
