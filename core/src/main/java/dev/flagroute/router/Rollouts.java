package dev.flagroute.router;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.internal.access.Positions;
import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verdicts and guarded ramps of an edge router: for each flag with a verdict policy or a ramp,
 * a {@link VerdictMonitor} fed with the outcomes of the requests decided for its variants, and for
 * each ramped variant the share of users it may reach now. A {@code FlagRouter} built with
 * {@code verdicts(flag, policy)}, or over routes that declare a {@link dev.flagroute.routes.Ramp},
 * makes one; read it through {@code FlagRouter.verdicts()} and {@code FlagRouter.ramps()}.
 *
 * <p>It caps the provider's decisions, whatever the provider: a user decided a ramped variant but
 * outside its current share gets the default variant, with source {@link Source#DEFAULT} and
 * reason {@link FlagDecision#RAMP}; a variant whose verdict turns {@link VerdictState#WORSE} has
 * its ramp rolled back to no user, and with {@link VerdictPolicy#holdBackWorse()} any WORSE variant
 * gets the default instead (reason {@link FlagDecision#GUARDED}). Per instance: each replica
 * judges its own requests, while the ramp's schedule is the same everywhere. Thread-safe and
 * memory bounded by the routes.
 */
final class Rollouts {
  private static final Logger log = LoggerFactory.getLogger(Rollouts.class);

  private final FlagRoutes routes;
  private final Control[] controls;
  private final Clock clock;
  /** Whether {@link #apply} may change a decision at all: a ramp, or a policy holding WORSE variants back. */
  private final boolean caps;
  private final AppliedDecisions applied;
  /** Moves on with every change {@link #apply} depends on: a ramp's step or roll-back, a verdict's state. */
  private final AtomicLong generation = new AtomicLong();
  /** When the next ramp step is due, at the earliest; no step is looked for before. */
  private volatile long nextStepMillis = Long.MIN_VALUE;

  private Rollouts(FlagRoutes routes, Map<String, VerdictPolicy> policies, Clock clock,
      Consumer<Verdict> verdictChanges, Consumer<RampStatus> rampChanges, long cacheSize) {
    this.routes = routes;
    this.clock = clock;
    this.applied = new AppliedDecisions(cacheSize);
    List<Control> made = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      FlagRoute route = routes.asList().get(i);
      VerdictPolicy policy = policies.get(route.key());
      if (policy == null && !route.ramps().isEmpty()) {
        policy = VerdictPolicy.defaults();
      }
      if (policy != null) {
        made.add(new Control(i, route, policy, verdictChanges, rampChanges));
      }
    }
    this.controls = made.toArray(new Control[0]);
    this.caps = made.stream().anyMatch(control -> !control.ramps.isEmpty() || control.policy.holdBackWorse());
  }

  /**
   * The verdicts and ramps of {@code routes}: a verdict for each flag of {@code policies} (flag key,
   * matched ignoring case, to policy) and each flag declaring a ramp (the default policy unless
   * given), telling the listeners every change.
   *
   * @throws IllegalArgumentException if a key of {@code policies} is not a flag of {@code routes}
   */
  static Rollouts of(FlagRoutes routes, Map<String, VerdictPolicy> policies, Clock clock,
      Consumer<Verdict> verdictChanges, Consumer<RampStatus> rampChanges) {
    return of(routes, policies, clock, verdictChanges, rampChanges, FlagRouter.DEFAULT_CACHE_SIZE);
  }

  /**
   * The same for a router whose decision cache holds {@code cacheSize} entries (0: no cache), as
   * many as {@link AppliedDecisions} keeps of what the ramps made of them.
   */
  static Rollouts of(FlagRoutes routes, Map<String, VerdictPolicy> policies, Clock clock,
      Consumer<Verdict> verdictChanges, Consumer<RampStatus> rampChanges, long cacheSize) {
    Objects.requireNonNull(routes, "routes");
    Map<String, VerdictPolicy> byKey = new LinkedHashMap<>();
    policies.forEach((key, policy) -> {
      FlagRoute route = routes.get(key);
      if (route == null) {
        throw new IllegalArgumentException("cannot judge flag '" + key + "': no route has it; the flags are "
            + routes.asList().stream().map(FlagRoute::key).toList());
      }
      byKey.put(route.key(), Objects.requireNonNull(policy, "policy"));
    });
    return new Rollouts(routes, byKey, Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(verdictChanges, "verdictChanges"), Objects.requireNonNull(rampChanges, "rampChanges"),
        cacheSize);
  }

  /** Whether no flag has a verdict or a ramp, so that there is nothing to do. */
  boolean isEmpty() {
    return controls.length == 0;
  }

  /**
   * {@code decided} with every evaluated variant that a ramp or a WORSE verdict holds back set to
   * its flag's default variant; {@code decided} itself when nothing is held back.
   *
   * @param targetingKey the request's targeting key, which places the user in each ramp; without
   *     one a user gets a ramped variant only once its ramp reaches 100%
   */
  FlagContext apply(FlagContext decided, String targetingKey) {
    if (decided.routes() != routes || !caps) {
      return decided;
    }
    long now = clock.millis();
    if (now >= nextStepMillis) {
      nextStep(now);
    }
    long current = generation.get();
    FlagContext known = applied.get(decided, targetingKey, current);
    if (known == null) {
      known = cap(decided, targetingKey, now);
      applied.put(decided, targetingKey, known, current);
    }
    return known;
  }

  /** Takes every ramp to its step at {@code nowMillis} (reporting each change) and notes when the next is due. */
  private void nextStep(long nowMillis) {
    long next = Long.MAX_VALUE;
    for (Control control : controls) {
      for (RampTrack ramp : control.ramps.values()) {
        ramp.basisPoints(nowMillis);
        next = Math.min(next, ramp.nextStepMillis());
      }
    }
    nextStepMillis = next;
  }

  /** {@link #apply}, worked out. */
  private FlagContext cap(FlagContext decided, String targetingKey, long now) {
    FlagContext.Builder builder = null;
    for (Control control : controls) {
      FlagDecision decision = Positions.decision(decided, control.index);
      if (decision == null || decision.source() != Source.EVALUATED) {
        continue;
      }
      RampTrack ramp = control.ramps.get(decision.variant());
      FlagDecision instead = null;
      if (ramp != null) {
        instead = ramp.admits(targetingKey, now) ? null : control.capped;
      } else if (control.policy.holdBackWorse() && control.monitor.state(decision.variant()) == VerdictState.WORSE) {
        instead = control.guarded;
      }
      if (instead != null) {
        builder = builder == null ? decided.toBuilder() : builder;
        Positions.put(builder, control.index, instead);
      }
    }
    return builder == null ? decided : builder.build();
  }

  /**
   * Counts how a request routed to {@code flags} ended for each judged flag's variant. Variants
   * forced by an override token or carried in from upstream are not counted; defaults given by a
   * ramp, the guard or a failed evaluation count for the default variant.
   */
  void record(FlagContext flags, boolean failed, Duration latency) {
    if (flags.routes() != routes) {
      return;
    }
    long nanos = latency.toNanos();
    for (Control control : controls) {
      FlagDecision decision = Positions.decision(flags, control.index);
      if (decision != null && (decision.source() == Source.EVALUATED || decision.source() == Source.DEFAULT)) {
        control.monitor.record(decision.variant(), failed, nanos);
      }
    }
  }

  /** The verdict of every non-default variant of every judged flag, in route order. */
  List<Verdict> verdicts() {
    List<Verdict> verdicts = new ArrayList<>();
    for (Control control : controls) {
      verdicts.addAll(control.monitor.verdicts());
    }
    return List.copyOf(verdicts);
  }

  /** Where every ramped variant stands now, in route order. */
  List<RampStatus> ramps() {
    long now = clock.millis();
    List<RampStatus> ramps = new ArrayList<>();
    for (Control control : controls) {
      control.ramps.values().forEach(ramp -> ramps.add(ramp.status(now)));
    }
    return List.copyOf(ramps);
  }

  private static void logVerdict(Verdict verdict) {
    if (verdict.state() == VerdictState.WORSE) {
      log.warn("flag '{}' variant '{}' is WORSE than the default: errors {} vs {} (p {}), slow requests {} vs {}"
          + " (p {})", verdict.flagKey(), verdict.variant(), percent(verdict.errors().variantShare()),
          percent(verdict.errors().defaultShare()), round(verdict.errors().pValue()),
          percent(verdict.latency().variantShare()), percent(verdict.latency().defaultShare()),
          round(verdict.latency().pValue()));
    } else {
      log.info("flag '{}' variant '{}' compared with the default: {}", verdict.flagKey(), verdict.variant(),
          verdict.state());
    }
  }

  private static void logRamp(RampStatus status) {
    if (status.state() == RampState.ROLLED_BACK) {
      log.warn("ramp of flag '{}' variant '{}' rolled back: its users get the default variant until the routes"
          + " change or the service restarts", status.flagKey(), status.variant());
    } else {
      log.info("ramp of flag '{}' variant '{}': step {} ({}% of users) since {}", status.flagKey(), status.variant(),
          status.step(), status.percent(), status.since());
    }
  }

  private static String percent(double share) {
    return Math.round(share * 10_000) / 100.0 + "%";
  }

  private static String round(double p) {
    return String.format(Locale.ROOT, "%.4f", p);
  }

  /** One judged flag: its monitor, its ramped variants and the decisions it gives instead. */
  private final class Control {
    final int index;
    final VerdictPolicy policy;
    final VerdictMonitor monitor;
    final Map<String, RampTrack> ramps;
    final FlagDecision capped;
    final FlagDecision guarded;

    Control(int index, FlagRoute route, VerdictPolicy policy, Consumer<Verdict> verdictChanges,
        Consumer<RampStatus> rampChanges) {
      this.index = index;
      this.policy = policy;
      Consumer<RampStatus> rampListener = status -> {
        generation.incrementAndGet();
        logRamp(status);
        rampChanges.accept(status);
      };
      Map<String, RampTrack> tracks = new LinkedHashMap<>();
      long now = clock.millis();
      route.ramps().forEach((variant, ramp) ->
          tracks.put(variant, new RampTrack(route.key(), variant, ramp, now, rampListener)));
      this.ramps = Collections.unmodifiableMap(tracks);
      this.monitor = VerdictMonitor.of(route, policy, verdict -> {
        generation.incrementAndGet();
        logVerdict(verdict);
        verdictChanges.accept(verdict);
        RampTrack ramp = tracks.get(verdict.variant());
        if (ramp != null && verdict.state() == VerdictState.WORSE) {
          ramp.rollBack(clock.instant());
        }
      });
      this.capped = new FlagDecision(route.defaultVariant(), Source.DEFAULT, FlagDecision.RAMP);
      this.guarded = new FlagDecision(route.defaultVariant(), Source.DEFAULT, FlagDecision.GUARDED);
    }
  }
}
