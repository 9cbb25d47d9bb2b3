package dev.flagroute.router;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.verdict.Comparison;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Compares each non-default variant of one flag with the flag's default variant, from the
 * outcomes of the requests decided for them, as {@link VerdictPolicy} describes. An edge
 * {@link FlagRouter} built with {@code verdicts(flag, policy)}, or whose routes declare a ramp,
 * keeps one per flag in its {@link Rollouts} and feeds it.
 *
 * <p>Thread-safe, and memory bounded by the flag's variants (plus the default's first
 * {@link VerdictPolicy#calibrationRequests()} latencies, kept until the slow threshold is set).
 * Recording takes no lock: counts are added, and the test is evaluated by one thread at a time per
 * variant, a recording thread that finds it busy leaving the look to the next one.
 */
final class VerdictMonitor {
  private final String flagKey;
  private final String defaultVariant;
  private final VerdictPolicy policy;
  private final Consumer<Verdict> changes;
  private final Side defaults = new Side();
  private final Map<String, Track> tracks;
  private final SlowThreshold threshold;
  private final double logAlphaInverse;

  private VerdictMonitor(FlagRoute route, VerdictPolicy policy, Consumer<Verdict> changes) {
    this.flagKey = route.key();
    this.defaultVariant = route.defaultVariant();
    this.policy = policy;
    this.changes = changes;
    this.threshold = new SlowThreshold(policy.calibrationRequests(), policy.slowQuantile());
    this.logAlphaInverse = Math.log(1 / policy.alpha());
    Map<String, Track> byVariant = new LinkedHashMap<>();
    for (String variant : route.variants().keySet()) {
      if (!variant.equals(defaultVariant)) {
        byVariant.put(variant, new Track(variant));
      }
    }
    this.tracks = Collections.unmodifiableMap(byVariant);
  }

  /**
   * A monitor of {@code route}'s variants, telling {@code changes} every change of a variant's
   * {@link Verdict#state()}, on the thread whose request caused it.
   */
  static VerdictMonitor of(FlagRoute route, VerdictPolicy policy, Consumer<Verdict> changes) {
    return new VerdictMonitor(Objects.requireNonNull(route, "route"), Objects.requireNonNull(policy, "policy"),
        Objects.requireNonNull(changes, "changes"));
  }

  /** The flag compared. */
  String flagKey() {
    return flagKey;
  }

  /** The policy. */
  VerdictPolicy policy() {
    return policy;
  }

  /**
   * Counts one request decided for {@code variant} that ended {@code failed} or not after
   * {@code latencyNanos}, and looks at the test again. A variant that is not one of the flag's is
   * ignored.
   */
  void record(String variant, boolean failed, long latencyNanos) {
    if (defaultVariant.equals(variant)) {
      long slowNanos = threshold.nanos();
      if (slowNanos < 0) {
        threshold.offer(latencyNanos);
      }
      defaults.record(failed, slowNanos, latencyNanos);
      for (Track track : tracks.values()) {
        track.look();
      }
      return;
    }
    Track track = variant == null ? null : tracks.get(variant);
    if (track != null) {
      track.side.record(failed, threshold.nanos(), latencyNanos);
      track.look();
    }
  }

  /** The state of {@code variant} as last looked at, cheap enough for every request; null if not a non-default variant. */
  VerdictState state(String variant) {
    Track track = variant == null ? null : tracks.get(variant);
    return track == null ? null : track.reported;
  }

  /** The verdict of {@code variant} now, or null if it is not a non-default variant of the flag. */
  Verdict verdict(String variant) {
    Track track = variant == null ? null : tracks.get(variant);
    return track == null ? null : track.verdict();
  }

  /** The verdict of every non-default variant now, in declaration order. */
  List<Verdict> verdicts() {
    List<Verdict> verdicts = new ArrayList<>(tracks.size());
    tracks.values().forEach(track -> verdicts.add(track.verdict()));
    return List.copyOf(verdicts);
  }

  /** The state of two measures summed up, as {@link Verdict#state()} documents. */
  private static VerdictState combine(VerdictState errors, VerdictState latency) {
    if (errors == VerdictState.WORSE || latency == VerdictState.WORSE) {
      return VerdictState.WORSE;
    }
    if (errors == VerdictState.BETTER || latency == VerdictState.BETTER) {
      return VerdictState.BETTER;
    }
    if (errors == VerdictState.NO_DIFFERENCE && latency == VerdictState.NO_DIFFERENCE) {
      return VerdictState.NO_DIFFERENCE;
    }
    return VerdictState.NOT_ENOUGH_DATA;
  }

  /** One side's counts: requests and failures, and among the requests timed after calibration, the slow ones. */
  private static final class Side {
    final LongAdder requests = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder timed = new LongAdder();
    final LongAdder slow = new LongAdder();

    void record(boolean failed, long slowNanos, long latencyNanos) {
      requests.increment();
      if (failed) {
        failures.increment();
      }
      if (slowNanos >= 0) {
        timed.increment();
        if (latencyNanos > slowNanos) {
          slow.increment();
        }
      }
    }
  }

  /** One measure's test: its smallest p-value so far and its state, written by the looking thread only. */
  private final class Measure {
    private final double tauSquared;
    /** The largest log likelihood ratio seen; the always-valid p-value is {@code min(1, exp(-it))}. */
    private volatile double mostEvidence;
    private volatile VerdictState state = VerdictState.NOT_ENOUGH_DATA;

    Measure(double difference) {
      this.tauSquared = difference * difference;
    }

    boolean decided() {
      return state == VerdictState.WORSE || state == VerdictState.BETTER;
    }

    void look(long defaultRequests, long defaultHits, long requests, long hits) {
      if (decided()) {
        return;
      }
      if (defaultRequests < policy.minRequests() || requests < policy.minRequests()) {
        return;
      }
      double logRatio = MixtureTest.logLikelihoodRatio(defaultRequests, defaultHits, requests, hits, tauSquared,
          mostEvidence);
      mostEvidence = Math.max(mostEvidence, logRatio);
      if (logRatio >= logAlphaInverse) {
        boolean more = (double) hits / requests > (double) defaultHits / defaultRequests;
        state = more ? VerdictState.WORSE : VerdictState.BETTER;
      } else {
        state = VerdictState.NO_DIFFERENCE;
      }
    }

    Comparison comparison(long defaultRequests, long defaultHits, long requests, long hits) {
      return new Comparison(state, requests, hits, defaultRequests, defaultHits, Math.exp(-mostEvidence));
    }
  }

  /** One non-default variant: its counts, its two measures and the state last reported. */
  private final class Track {
    final String variant;
    final Side side = new Side();
    final Measure errors = new Measure(policy.errorDifference());
    final Measure latency = new Measure(policy.slowShareDifference());
    final AtomicBoolean looking = new AtomicBoolean();
    volatile VerdictState reported = VerdictState.NOT_ENOUGH_DATA;

    Track(String variant) {
      this.variant = variant;
    }

    /** Evaluates both measures unless another thread is; reports a change of the summed-up state. */
    void look() {
      if (errors.decided() && latency.decided() || !looking.compareAndSet(false, true)) {
        return;
      }
      try {
        errors.look(defaults.requests.sum(), defaults.failures.sum(), side.requests.sum(), side.failures.sum());
        latency.look(defaults.timed.sum(), defaults.slow.sum(), side.timed.sum(), side.slow.sum());
        VerdictState now = combine(errors.state, latency.state);
        if (now != reported) {
          reported = now;
          changes.accept(verdict());
        }
      } finally {
        looking.set(false);
      }
    }

    Verdict verdict() {
      long slowNanos = threshold.nanos();
      return new Verdict(flagKey, variant, combine(errors.state, latency.state),
          errors.comparison(defaults.requests.sum(), defaults.failures.sum(), side.requests.sum(),
              side.failures.sum()),
          latency.comparison(defaults.timed.sum(), defaults.slow.sum(), side.timed.sum(), side.slow.sum()),
          slowNanos < 0 ? Duration.ZERO : Duration.ofNanos(slowNanos));
    }
  }
}
