package dev.flagroute.router;

import dev.flagroute.evaluation.WarmUpReport;
import dev.flagroute.evaluation.WarmUpReport.Kind;
import dev.flagroute.evaluation.WarmUpReport.Problem;
import dev.flagroute.internal.Fatal;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ProviderState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every routing flag once, on a daemon thread, before traffic: the provider's cold start
 * (connections, first fetch, class loading) is paid here and not by the first request, and each
 * flag the provider and the routes disagree on is found by name. Waits for the provider at most
 * {@link #BOUND}; flags not evaluated by then are reported as {@link Kind#TIMED_OUT}.
 */
final class WarmUp {
  /** The longest a warm-up waits for the provider. */
  static final Duration BOUND = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(FlagRouter.class);
  private static final Problem PENDING = new Problem("-", Kind.TIMED_OUT, "-");

  private WarmUp() {}

  /** Warms up {@code client} for {@code routes}; an empty report when there is no client. */
  static WarmUpReport run(FlagRoutes routes, Client client) {
    if (client == null) {
      return new WarmUpReport(0, List.of());
    }
    int size = routes.size();
    AtomicReferenceArray<Problem> found = new AtomicReferenceArray<>(size);
    for (int i = 0; i < size; i++) {
      found.set(i, PENDING);
    }
    Thread thread = new Thread(() -> {
      for (int i = 0; i < size; i++) {
        found.set(i, check(routes.asList().get(i), client));
      }
    }, "flagroute-warm-up");
    thread.setDaemon(true);
    thread.start();
    try {
      thread.join(BOUND.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Problem> problems = new ArrayList<>();
    int evaluated = 0;
    for (int i = 0; i < size; i++) {
      Problem problem = found.get(i);
      if (problem == PENDING) {
        problem = new Problem(routes.asList().get(i).key(), Kind.TIMED_OUT,
            "no answer within " + BOUND.toSeconds() + "s");
      } else {
        evaluated++;
      }
      if (problem != null) {
        problems.add(problem);
      }
    }
    WarmUpReport report = new WarmUpReport(evaluated, problems);
    for (Problem problem : problems) {
      log.warn("start-up check: routing {}; requests take this flag's default variant while it lasts", problem);
    }
    return report;
  }

  /** What is wrong with {@code route}'s flag, or null if nothing. */
  private static Problem check(FlagRoute route, Client client) {
    try {
      ProviderState state = client.getProviderState();
      if (state != null && state != ProviderState.READY && state != ProviderState.STALE) {
        return new Problem(route.key(), Kind.PROVIDER_NOT_READY, "provider state " + state);
      }
      FlagEvaluationDetails<?> details = EdgeEvaluator.details(client, route, EdgeEvaluator.isBoolean(route),
          ImmutableContext.EMPTY);
      ErrorCode error = details.getErrorCode();
      String variant = EdgeEvaluator.variantOf(details.getValue());
      if (error == ErrorCode.FLAG_NOT_FOUND) {
        return new Problem(route.key(), Kind.FLAG_NOT_FOUND, "the provider does not know it");
      }
      if (error == ErrorCode.TYPE_MISMATCH || error == null && variant == null) {
        return new Problem(route.key(), Kind.TYPE_MISMATCH, (error == null
            ? "value is " + EdgeEvaluator.typeOf(details.getValue()) : details.getErrorMessage()) + "; "
            + EdgeEvaluator.ROUTABLE_TYPES);
      }
      if (error != null) {
        return new Problem(route.key(), Kind.ERROR, error + ": " + details.getErrorMessage());
      }
      if (!route.hasVariant(variant)) {
        return new Problem(route.key(), Kind.UNLISTED_VARIANT, "the provider answered '" + abbreviate(variant)
            + "', the route lists " + route.variants().keySet());
      }
      return null;
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return new Problem(route.key(), Kind.ERROR, e.toString());
    }
  }

  private static String abbreviate(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "..." : value;
  }
}
