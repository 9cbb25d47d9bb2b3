package dev.flagroute.router;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.guard.GuardState;
import dev.flagroute.guard.GuardStatus;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout guard of an edge router: for each guarded flag, a circuit breaker per non-default
 * variant, fed with the outcomes of the requests decided for it (see {@link GuardPolicy}). A
 * {@code FlagRouter} built with {@code guard(flag, policy)} makes one; read its state through
 * {@code FlagRouter.guardStatus()}, act on it through {@code FlagRouter.guardOperator()}.
 *
 * <p>It is a safety net next to the flag provider, not a replacement for it: it knows only the
 * requests of this instance, so edge replicas may decide differently while one has tripped and
 * another has not, and it never changes the provider's configuration. Thread-safe; memory bounded
 * by the routes and about 4,096 users per variant and window; on the request path, no lock
 * but a short one on the user's own entry.
 */
final class RolloutGuard {
  private static final Logger log = LoggerFactory.getLogger(RolloutGuard.class);

  private final FlagRoutes routes;
  private final GuardedFlag[] flags;
  private final Clock clock;
  private final Consumer<GuardTransition> transitions;

  private RolloutGuard(FlagRoutes routes, Map<String, GuardPolicy> policies, Clock clock,
      Consumer<GuardTransition> listener) {
    this.routes = routes;
    this.clock = clock;
    this.transitions = transition -> {
      logTransition(transition);
      listener.accept(transition);
    };
    List<GuardedFlag> guarded = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      FlagRoute route = routes.asList().get(i);
      GuardPolicy policy = policies.get(route.key());
      if (policy != null) {
        guarded.add(new GuardedFlag(i, route, policy, clock.millis()));
      }
    }
    this.flags = guarded.toArray(new GuardedFlag[0]);
  }

  /**
   * A guard over {@code policies} (flag key, matched ignoring case, to policy), telling
   * {@code listener} every transition.
   *
   * @throws IllegalArgumentException if a key is not a flag of {@code routes}
   */
  static RolloutGuard of(FlagRoutes routes, Map<String, GuardPolicy> policies, Clock clock,
      Consumer<GuardTransition> listener) {
    Objects.requireNonNull(routes, "routes");
    Map<String, GuardPolicy> byKey = new LinkedHashMap<>();
    policies.forEach((key, policy) -> {
      FlagRoute route = routes.get(key);
      if (route == null) {
        throw new IllegalArgumentException("cannot guard flag '" + key + "': no route has it; the flags are "
            + routes.asList().stream().map(FlagRoute::key).toList());
      }
      byKey.put(route.key(), Objects.requireNonNull(policy, "policy"));
    });
    return new RolloutGuard(routes, byKey, Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(listener, "listener"));
  }

  /**
   * {@code decided} with every guarded flag whose evaluated variant is held back (open, forced off,
   * or not among the probes while half-open) set to its default variant, with source
   * {@link Source#DEFAULT} and reason {@link FlagDecision#GUARDED}; {@code decided} itself when
   * nothing is held back. While probing, whether a request of {@code targetingKey} is a probe
   * depends on the key alone (for the round), so that every user's requests count as one user.
   */
  FlagContext apply(FlagContext decided, String targetingKey) {
    if (decided.routes() != routes) {
      return decided;
    }
    FlagContext.Builder builder = null;
    long now = -1;
    for (GuardedFlag flag : flags) {
      FlagDecision decision = Positions.decision(decided, flag.index);
      VariantGuard variant = decision == null || decision.source() != Source.EVALUATED ? null
          : flag.variants.get(decision.variant());
      if (variant == null) {
        continue;
      }
      if (now < 0) {
        now = clock.millis();
      }
      if (!variant.admits(now, targetingKey, transitions)) {
        builder = builder == null ? decided.toBuilder() : builder;
        Positions.put(builder, flag.index, flag.guarded);
      }
    }
    return builder == null ? decided : builder.build();
  }

  /**
   * Counts how a request routed to {@code flags} ended, for each guarded flag's variant, as one
   * outcome of {@link RequestOutcome#user()}; outcomes without a user all count as one user.
   * Requests whose variant was forced by an override token or carried in from upstream are not
   * counted.
   */
  void record(FlagContext flags, RequestOutcome outcome) {
    if (flags.routes() != routes) {
      return;
    }
    long now = clock.millis();
    Long user = UserWindow.hash(outcome.user() == null ? "" : outcome.user()); // boxed once for every window
    for (GuardedFlag flag : this.flags) {
      FlagDecision decision = Positions.decision(flags, flag.index);
      if (decision == null || decision.source() != Source.EVALUATED && decision.source() != Source.DEFAULT) {
        continue;
      }
      VariantGuard variant = flag.variants.get(decision.variant());
      if (variant == null) {
        flag.defaults.record(now, user, outcome.failed());
      } else {
        variant.record(now, user, outcome.failed(), flag.defaults, transitions);
      }
    }
  }

  /**
   * Carries out an operator's action on {@code variant} of {@code flagKey}; its new status.
   *
   * @throws IllegalArgumentException naming the guarded flags or their variants, if {@code flagKey}
   *     is not guarded or {@code variant} is not one of its non-default variants
   */
  GuardStatus operate(String flagKey, String variant, OperatorAction action) {
    for (GuardedFlag flag : flags) {
      if (flag.route.key().equalsIgnoreCase(String.valueOf(flagKey))) {
        VariantGuard guard = flag.variants.get(variant);
        if (guard == null) {
          throw new IllegalArgumentException("flag '" + flag.route.key() + "' has no non-default variant '" + variant
              + "'; its guarded variants are " + flag.variants.keySet());
        }
        return guard.operate(action, clock.millis(), transitions);
      }
    }
    throw new IllegalArgumentException("flag '" + flagKey + "' is not guarded; the guarded flags are "
        + Arrays.stream(flags).map(flag -> flag.route.key()).toList());
  }

  /** The state of every non-default variant of every guarded flag, in route order. */
  List<GuardStatus> status() {
    long now = clock.millis();
    List<GuardStatus> status = new ArrayList<>();
    for (GuardedFlag flag : flags) {
      flag.variants.values().forEach(variant -> status.add(variant.status(now)));
    }
    return List.copyOf(status);
  }

  private static void logTransition(GuardTransition t) {
    if (t.cause() == GuardTransition.Cause.OPERATOR) {
      log.warn("rollout guard: an operator moved flag '{}' variant '{}' from {} to {}", t.flagKey(), t.variant(),
          t.from(), t.to());
      return;
    }
    switch (t.to()) {
      case OPEN -> log.warn("rollout guard {} flag '{}' variant '{}': {} of {} users had server-side failures ({}),"
          + " the default variant's ratio is {}; new requests get the default variant until the cool-down ends",
          t.from() == GuardState.CLOSED ? "tripped for" : "re-opened for", t.flagKey(), t.variant(),
          Math.round(t.failureRatio() * t.users()), t.users(), percent(t.failureRatio()),
          percent(t.defaultFailureRatio()));
      case HALF_OPEN -> log.info("rollout guard probing flag '{}' variant '{}' again with a share of its users",
          t.flagKey(), t.variant());
      case CLOSED -> log.info("rollout guard closed for flag '{}' variant '{}': {} probing users, {} failed; the"
          + " variant is decided as the provider says again", t.flagKey(), t.variant(), t.users(),
          percent(t.failureRatio()));
      case FORCED_OFF -> log.warn("rollout guard: flag '{}' variant '{}' is forced off", t.flagKey(), t.variant());
    }
  }

  private static String percent(double ratio) {
    return Math.round(ratio * 100) + "%";
  }

  /** One guarded flag: the default variant's user window and a breaker per other variant. */
  private static final class GuardedFlag {
    final int index;
    final FlagRoute route;
    final UserWindow defaults;
    final Map<String, VariantGuard> variants;
    final FlagDecision guarded;

    GuardedFlag(int index, FlagRoute route, GuardPolicy policy, long startMillis) {
      this.index = index;
      this.route = route;
      this.defaults = new UserWindow(policy.window().toMillis());
      Map<String, VariantGuard> byVariant = new LinkedHashMap<>();
      for (String variant : route.variants().keySet()) {
        if (!variant.equals(route.defaultVariant())) {
          byVariant.put(variant, new VariantGuard(route.key(), variant, policy, startMillis));
        }
      }
      this.variants = byVariant;
      this.guarded = new FlagDecision(route.defaultVariant(), Source.DEFAULT, FlagDecision.GUARDED);
    }
  }
}
