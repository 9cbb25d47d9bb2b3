package dev.flagroute.router;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.FlagScope;
import dev.flagroute.context.Source;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.internal.Fatal;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ProviderState;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every routing flag for an evaluation context through an OpenFeature client: from the
 * cache when it can, otherwise by evaluating each flag, with every failure turned into the flag's
 * default variant. Total: never throws, and every flag of the result is decided.
 *
 * <p>Without a deadline the flags are evaluated on the caller's thread. With one, they are
 * evaluated on an {@link EvaluationPool} while the caller waits at most the deadline; a late answer
 * still fills the cache, and requests for the same key share one evaluation in flight. An
 * evaluation the pool takes as stuck stops being shared, so the next request of its key starts a
 * new one: a provider that hangs on some calls costs their keys defaults for a while, never for good.
 */
final class EdgeEvaluator {
  /** Which flags can route, for type mismatches. */
  static final String ROUTABLE_TYPES = "routing flags must be string flags, or boolean flags whose route lists"
      + " exactly the variants true and false";

  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);

  private final FlagRoutes routes;
  private final Client client;
  private final Events events;
  private final DecisionCache cache;
  private final long deadlineNanos;
  private final EvaluationPool pool;
  private final ConcurrentMap<Object, CompletableFuture<Outcome>> inFlight = new ConcurrentHashMap<>();
  private final Outcome timedOut;
  private final IgnoredAttributes ignored;
  /** Per route: whether its flag is evaluated as a boolean flag. */
  private final boolean[] booleans;

  /**
   * @param cache the cache, or null for none
   * @param deadline the longest wait for the provider, or null to evaluate on the caller's thread
   * @param clock the clock that finds stuck evaluations
   * @param ignored the attributes declared irrelevant to routing, never passed to the provider
   */
  EdgeEvaluator(FlagRoutes routes, Client client, Events events, DecisionCache cache, Duration deadline,
      Clock clock, IgnoredAttributes ignored) {
    this.routes = routes;
    this.ignored = ignored;
    this.client = client;
    this.events = events;
    this.cache = cache;
    this.deadlineNanos = deadline == null ? 0 : deadline.toNanos();
    this.pool = deadline == null ? null : new EvaluationPool(deadline, events, clock);
    this.timedOut = allDefaults(EvaluationFailure.DEADLINE_EXCEEDED, null);
    this.booleans = new boolean[routes.size()];
    for (int i = 0; i < booleans.length; i++) {
      booleans[i] = isBoolean(routes.asList().get(i));
    }
    if (cache != null) {
      try {
        client.onProviderConfigurationChanged(new Invalidator(cache, false));
        client.onProviderReady(new Invalidator(cache, client.getProviderState() == ProviderState.READY));
      } catch (RuntimeException e) {
        log.warn("cannot subscribe to the OpenFeature client's events ({}); cached routing decisions will"
            + " expire only by age", e.toString());
      }
    }
  }

  /** The routes it decides. */
  FlagRoutes routes() {
    return routes;
  }

  /** The client that decides. */
  Client client() {
    return client;
  }

  /** Every routing flag decided for {@code context}, which is evaluated without its ignored attributes. */
  FlagContext evaluate(EvaluationContext requestContext) {
    Object key = cache == null ? null : cache.keyOf(requestContext);
    if (key != null) {
      FlagContext hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    EvaluationContext context = ignored.strip(requestContext);
    Outcome outcome;
    if (pool == null) {
      long generation = key == null ? 0 : cache.generation();
      outcome = evaluateNow(context);
      if (key != null && outcome.failures == null) {
        cache.put(key, outcome.decisions, generation);
      }
    } else {
      outcome = evaluateWithDeadline(key, context);
    }
    report(outcome);
    return outcome.decisions;
  }

  private Outcome evaluateWithDeadline(Object key, EvaluationContext context) {
    CompletableFuture<Outcome> future = key == null ? null : inFlight.get(key);
    if (future == null) {
      future = start(key, context);
      if (future == null) {
        return timedOut;
      }
    }
    try {
      return future.get(deadlineNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return timedOut;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return timedOut;
    } catch (ExecutionException e) {
      return allDefaults(EvaluationFailure.EXCEPTION, String.valueOf(e.getCause()));
    }
  }

  /** Starts an evaluation on the pool, shared by requests of the same key; null if the pool is full. */
  private CompletableFuture<Outcome> start(Object key, EvaluationContext context) {
    CompletableFuture<Outcome> future = new CompletableFuture<>();
    if (key != null) {
      CompletableFuture<Outcome> running = inFlight.putIfAbsent(key, future);
      if (running != null) {
        return running;
      }
    }
    long generation = key == null ? 0 : cache.generation();
    Runnable unshare = key == null ? () -> { } : () -> inFlight.remove(key, future);
    boolean started = pool.submit(() -> {
      try {
        Outcome outcome = evaluateNow(context);
        if (key != null && outcome.failures == null) {
          cache.put(key, outcome.decisions, generation);
        }
        future.complete(outcome);
      } catch (Throwable e) {
        future.completeExceptionally(e);
        Fatal.rethrowIfFatal(e);
      } finally {
        unshare.run();
      }
    }, unshare);
    if (!started) {
      unshare.run();
      return null;
    }
    return future;
  }

  /** Evaluates every flag now, on this thread, bypassing any routing decision current on it. */
  private Outcome evaluateNow(EvaluationContext context) {
    EvaluationFailure stateFailure = stateFailure();
    if (stateFailure != null) {
      return allDefaults(stateFailure, null);
    }
    FlagScope bypass = FlagContext.current().hasNothingToStamp() ? null : FlagContext.empty().makeCurrent();
    try {
      FlagContext.Builder builder = FlagContext.builder(routes);
      Failure[] failures = null;
      for (int i = 0; i < routes.size(); i++) {
        Failure failure = evaluateOne(builder, i, context);
        if (failure != null) {
          failures = failures == null ? new Failure[routes.size()] : failures;
          failures[i] = failure;
        }
      }
      return new Outcome(builder.build(), failures);
    } finally {
      if (bypass != null) {
        bypass.close();
      }
    }
  }

  private Failure evaluateOne(FlagContext.Builder builder, int index, EvaluationContext context) {
    FlagRoute route = routes.asList().get(index);
    Failure failure;
    try {
      FlagEvaluationDetails<?> details = details(client, route, booleans[index], context);
      ErrorCode error = details.getErrorCode();
      String variant = variantOf(details.getValue());
      if (error != null) {
        failure = new Failure(error == ErrorCode.TYPE_MISMATCH ? EvaluationFailure.TYPE_MISMATCH
            : EvaluationFailure.ERROR_RESULT, "ERROR_" + error, error == ErrorCode.TYPE_MISMATCH
            ? details.getErrorMessage() + "; " + ROUTABLE_TYPES : details.getErrorMessage());
      } else if (variant == null) {
        failure = new Failure(EvaluationFailure.TYPE_MISMATCH, "ERROR_" + ErrorCode.TYPE_MISMATCH,
            "value is " + typeOf(details.getValue()) + "; " + ROUTABLE_TYPES);
      } else if (!route.hasVariant(variant)) {
        failure = new Failure(EvaluationFailure.FOREIGN_VARIANT, EvaluationFailure.FOREIGN_VARIANT.name(),
            "'" + abbreviate(variant) + "' is not among " + route.variants().keySet());
      } else {
        String reason = details.getReason();
        Positions.put(builder, index, new FlagDecision(variant, Source.EVALUATED, reason == null ? "UNKNOWN" : reason));
        return null;
      }
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      failure = new Failure(EvaluationFailure.EXCEPTION, EvaluationFailure.EXCEPTION.name(), e.toString());
    }
    Positions.put(builder, index, new FlagDecision(route.defaultVariant(), Source.DEFAULT, failure.reason));
    return failure;
  }

  /** Whether {@code route}'s flag is decided by the provider's boolean evaluation. */
  static boolean isBoolean(FlagRoute route) {
    return route.isBooleanFlag();
  }

  /** Evaluates {@code route}'s flag as a boolean flag if {@code bool}, else as a string flag. */
  static FlagEvaluationDetails<?> details(Client client, FlagRoute route, boolean bool, EvaluationContext context) {
    return bool ? client.getBooleanDetails(route.key(), Boolean.valueOf(route.defaultVariant()), context)
        : client.getStringDetails(route.key(), route.defaultVariant(), context);
  }

  /** The variant an evaluated value names: a string itself, a boolean as {@code true}/{@code false}; else null. */
  static String variantOf(Object value) {
    return value instanceof String text ? text : value instanceof Boolean bool ? bool.toString() : null;
  }

  static String typeOf(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName();
  }

  private static String abbreviate(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "..." : value;
  }

  private EvaluationFailure stateFailure() {
    ProviderState state;
    try {
      state = client.getProviderState();
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return null;
    }
    if (state == null) {
      return null;
    }
    return switch (state) {
      case NOT_READY -> EvaluationFailure.PROVIDER_NOT_READY;
      case ERROR -> EvaluationFailure.PROVIDER_ERROR;
      case FATAL -> EvaluationFailure.PROVIDER_FATAL;
      case READY, STALE -> null;
    };
  }

  private Outcome allDefaults(EvaluationFailure kind, String detail) {
    Failure failure = new Failure(kind, kind.name(), detail);
    FlagContext.Builder builder = FlagContext.builder(routes).fillDefaults(kind.name());
    Failure[] failures = new Failure[routes.size()];
    Arrays.fill(failures, failure);
    return new Outcome(builder.build(), failures);
  }

  private void report(Outcome outcome) {
    if (outcome.failures == null) {
      return;
    }
    for (int i = 0; i < outcome.failures.length; i++) {
      Failure failure = outcome.failures[i];
      if (failure != null) {
        events.evaluationFailed(i, routes.asList().get(i), failure.kind, failure.detail);
      }
    }
  }

  /** The decisions of one evaluation and, if any flag failed, why (indexed by route). */
  private record Outcome(FlagContext decisions, Failure[] failures) {}

  private record Failure(EvaluationFailure kind, String reason, String detail) {}

  /**
   * Drops the cache when the provider's configuration changes or a provider becomes ready (a new
   * one, or the old one after an error). OpenFeature replays READY to a handler registered while
   * the provider is ready; that replay is skipped, as it would drop decisions made since. Holds
   * the cache weakly: OpenFeature keeps handlers forever, and a discarded router must not be kept.
   */
  private static final class Invalidator implements Consumer<EventDetails> {
    private final WeakReference<DecisionCache> cache;
    private final AtomicBoolean skipReplay;

    Invalidator(DecisionCache cache, boolean skipReplay) {
      this.cache = new WeakReference<>(cache);
      this.skipReplay = new AtomicBoolean(skipReplay);
    }

    @Override
    public void accept(EventDetails details) {
      DecisionCache target = cache.get();
      if (target != null && !skipReplay.getAndSet(false)) {
        target.invalidateAll();
        log.debug("routing decisions cache cleared: {}", details);
      }
    }
  }
}
