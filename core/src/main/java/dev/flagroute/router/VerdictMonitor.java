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
 * variant, a recording thread that finds it busy leaving the look to the next one. The test is
 * evaluated after every outcome while a variant and the default have fewer than
 * {@value #LOOK_ALWAYS_BELOW} between them, then after every {@code n/128}-th outcome, {@code n}
 * being both sides' requests at the last look, and at least every {@value #MOST_BETWEEN_LOOKS}th
 * (counted down without a lock: a decrement lost to a race only moves a look by one outcome). The
 * test stays valid however often it is looked at; looking less often spares the request path and
 * delays a verdict by at most 0.8% of the requests it took.
 */
final class VerdictMonitor {
  /** Both sides' requests below which every outcome is followed by a look. */
  static final int LOOK_ALWAYS_BELOW = 4_096;
  /** The most outcomes between two looks. */
  static final int MOST_BETWEEN_LOOKS = 4_096;

  private final String flagKey;
  private final String defaultVariant;
  private final VerdictPolicy policy;
  private final Consumer<Verdict> changes;
  private final Side defaults = new Side();
  private final Map<String, Track> tracks;
  /** The same tracks, for the loop over them on each outcome of the default. */
  private final Track[] allTracks;
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
    this.allTracks = byVariant.values().toArray(new Track[0]);
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
      for (Track track : allTracks) {
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

  /**
   * One side's counts: requests and failures, and among the requests timed after calibration, the
   * slow ones. The timed requests are the requests less those recorded before the threshold was
   * set, so that an ordinary outcome adds to one counter only.
   */
  private static final class Side {
    final LongAdder requests = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder untimed = new LongAdder();
    final LongAdder slow = new LongAdder();

    void record(boolean failed, long slowNanos, long latencyNanos) {
      requests.increment();
      if (failed) {
        failures.increment();
      }
      if (slowNanos < 0) {
        untimed.increment();
      } else if (latencyNanos > slowNanos) {
        slow.increment();
      }
    }

    /** The requests timed against the threshold; read after {@link #requests}, never below 0. */
    long timed(long requests) {
      return Math.max(0, requests - untimed.sum());
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
    /** Outcomes until the next look: set by the looking thread, counted down by every recording one. */
    int untilLook;

    Track(String variant) {
      this.variant = variant;
    }

    /**
     * Evaluates both measures unless they are decided, it is not this outcome's turn, or another
     * thread is at it; reports a change of the summed-up state.
     */
    void look() {
      if (errors.decided() && latency.decided() || --untilLook > 0 || !looking.compareAndSet(false, true)) {
        return;
      }
      try {
        long defaultRequests = defaults.requests.sum();
        long sideRequests = side.requests.sum();
        long requests = defaultRequests + sideRequests;
        untilLook = requests < LOOK_ALWAYS_BELOW ? 1 : (int) Math.min(requests >> 7, MOST_BETWEEN_LOOKS);
        errors.look(defaultRequests, defaults.failures.sum(), sideRequests, side.failures.sum());
        latency.look(defaults.timed(defaultRequests), defaults.slow.sum(), side.timed(sideRequests), side.slow.sum());
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
      long defaultRequests = defaults.requests.sum();
      long sideRequests = side.requests.sum();
      return new Verdict(flagKey, variant, combine(errors.state, latency.state),
          errors.comparison(defaultRequests, defaults.failures.sum(), sideRequests, side.failures.sum()),
          latency.comparison(defaults.timed(defaultRequests), defaults.slow.sum(), side.timed(sideRequests),
              side.slow.sum()),
          slowNanos < 0 ? Duration.ZERO : Duration.ofNanos(slowNanos));
    }
  }
}
