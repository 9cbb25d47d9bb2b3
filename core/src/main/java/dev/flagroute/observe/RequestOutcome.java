package dev.flagroute.observe;

import java.time.Duration;
import java.util.Objects;

/**
 * How one routed request ended, as an adapter saw it: whether the server was at fault, how long it
 * took from routing to completion, and who saw it. Adapters report it once per request, through
 * {@link dev.flagroute.router.FlagRouter#completed}; the router's listener and its rollout guard
 * tie it to the request's variants.
 *
 * <p>One rule decides what a failure is, for every adapter: a server-side failure only. HTTP: a
 * status from 500 to 599 ({@link #serverFault(int)}), or an exception out of the application. gRPC
 * ({@link #grpcServerFault(int, boolean)}): {@code UNKNOWN}, {@code INTERNAL} and
 * {@code UNAVAILABLE}, and {@code DEADLINE_EXCEEDED} unless the client's own deadline had passed. A
 * 4xx, another gRPC status, a call the client cancelled or let run out of its deadline are the
 * client's doing and never a failure: a client must not be able to make a variant look broken by
 * sending bad requests or giving up early.
 *
 * <p>The user is the identity the rollout guard counts (each at most once per window): the
 * request's targeting key, or where it has none, the client's identity, which flagroute's adapters
 * take from the peer address (the servlet's remote address, the gRPC transport's remote address,
 * WebFlux's remote address; behind a proxy, configure the server to take the forwarded address, or
 * all anonymous clients count as the proxy). Build it with {@link #user(String, String)}; null
 * when the adapter knows neither, and all such outcomes count as one user.
 *
 * @param failed whether the request failed on the server's side, by the rule above
 * @param latency the time from routing to completion, never negative
 * @param user who saw it: {@code key:} and the targeting key, {@code client:} and the client's
 *     identity, or null
 */
public record RequestOutcome(boolean failed, Duration latency, String user) {
  /** The most characters of a user kept; longer targeting keys or identities are cut. */
  public static final int MAX_USER_CHARS = 512;

  /** Checks the latency and bounds the user. */
  public RequestOutcome {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    if (user != null && user.length() > MAX_USER_CHARS) {
      user = user.substring(0, MAX_USER_CHARS);
    }
  }

  /** An outcome without a user. */
  public RequestOutcome(boolean failed, Duration latency) {
    this(failed, latency, null);
  }

  /** A request answered with HTTP {@code status}: failed when it is a server error (5xx). */
  public static RequestOutcome ofHttpStatus(int status, Duration latency) {
    return new RequestOutcome(serverFault(status), latency);
  }

  /** A request that succeeded. */
  public static RequestOutcome success(Duration latency) {
    return new RequestOutcome(false, latency);
  }

  /** A request that failed on the server's side: a server error or an exception. */
  public static RequestOutcome failure(Duration latency) {
    return new RequestOutcome(true, latency);
  }

  /** The outcome of a request routed at {@code startNanos} ({@link System#nanoTime()}) and ending now. */
  public static RequestOutcome since(long startNanos, boolean failed) {
    return new RequestOutcome(failed, Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos)));
  }

  /** This outcome, seen by {@link #user(String, String) the user} of {@code targetingKey} or {@code client}. */
  public RequestOutcome seenBy(String targetingKey, String client) {
    return new RequestOutcome(failed, latency, user(targetingKey, client));
  }

  /**
   * The user the guard counts: {@code key:} and {@code targetingKey} when it is neither null nor
   * empty, otherwise {@code client:} and {@code client} when that is neither null nor empty,
   * otherwise null. The prefixes keep a user id from being taken for an address.
   */
  public static String user(String targetingKey, String client) {
    if (targetingKey != null && !targetingKey.isEmpty()) {
      return "key:" + targetingKey;
    }
    return client == null || client.isEmpty() ? null : "client:" + client;
  }

  /** Whether an HTTP response with {@code status} is the server's fault: 500 to 599. */
  public static boolean serverFault(int status) {
    return status >= 500 && status <= 599;
  }

  /**
   * Whether a gRPC call closed with status code {@code code} (its number: {@code 2} UNKNOWN,
   * {@code 4} DEADLINE_EXCEEDED, {@code 13} INTERNAL, {@code 14} UNAVAILABLE) is the server's
   * fault; {@code clientDeadlinePassed}: the deadline the client gave the call had passed when it
   * closed, so a DEADLINE_EXCEEDED is the client's (a downstream call inherits it).
   */
  public static boolean grpcServerFault(int code, boolean clientDeadlinePassed) {
    return switch (code) {
      case 2, 13, 14 -> true;
      case 4 -> !clientDeadlinePassed;
      default -> false;
    };
  }
}
