package dev.flagroute.observe;

import java.time.Duration;
import java.util.Objects;

/**
 * How one routed request ended, as an adapter saw it: whether it failed and how long it took from
 * routing to completion. Adapters report it once per request, through
 * {@link dev.flagroute.router.FlagRouter#completed}; the router's listener and its rollout guard
 * tie it to the request's variants.
 *
 * @param failed whether the request failed: an HTTP status of 500 or more, a gRPC status other
 *     than OK, or an exception
 * @param latency the time from routing to completion, never negative
 */
public record RequestOutcome(boolean failed, Duration latency) {
  /** Checks the latency. */
  public RequestOutcome {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
  }

  /** A request answered with HTTP {@code status}: failed when it is 500 or more. */
  public static RequestOutcome ofHttpStatus(int status, Duration latency) {
    return new RequestOutcome(status >= 500, latency);
  }

  /** A request that succeeded. */
  public static RequestOutcome success(Duration latency) {
    return new RequestOutcome(false, latency);
  }

  /** A request that failed: a server error, a failed call or an exception. */
  public static RequestOutcome failure(Duration latency) {
    return new RequestOutcome(true, latency);
  }

  /** The outcome of a request routed at {@code startNanos} ({@link System#nanoTime()}) and ending now. */
  public static RequestOutcome since(long startNanos, boolean failed) {
    return new RequestOutcome(failed, Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos)));
  }
}
