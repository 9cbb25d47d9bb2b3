package dev.flagroute.router;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Simulated traffic for one flag with a default variant {@code v1} and a variant {@code v2}: each
 * request goes to {@code v2} with a given share, fails with its side's error ratio, and takes a
 * log-normal latency (median 50 ms, sigma 0.5) times its side's latency factor. Latencies are drawn
 * from a table of 65,536 sorted log-normal draws (fixed seed), which is as good as the continuous
 * distribution here and far cheaper than a logarithm and an exponential per request. Seeded, so
 * every run is repeatable; no clock is involved.
 */
final class Simulation {
  static final FlagRoute ROUTE = FlagRoute.builder("checkout").service("reviews").variant("v1", "v1")
      .variant("v2", "v2").defaultVariant("v1").build();
  private static final double MEDIAN_NANOS = 50e6;
  private static final double SIGMA = 0.5;
  private static final double[] LATENCIES = latencies(1 << 16);

  private final double variantShare;
  private final double defaultErrors;
  private final double variantErrors;
  private final double variantLatencyFactor;

  Simulation(double variantShare, double defaultErrors, double variantErrors, double variantLatencyFactor) {
    this.variantShare = variantShare;
    this.defaultErrors = defaultErrors;
    this.variantErrors = variantErrors;
    this.variantLatencyFactor = variantLatencyFactor;
  }

  /** How one run ended: its final state and, if WORSE, the variant's requests when it turned WORSE. */
  record Run(VerdictState state, long variantRequestsAtWorse) {}

  /**
   * Runs {@code maxVariantRequests} requests to the variant (and the default's share alongside),
   * looking at the verdict after every request, stopping early at WORSE.
   */
  Run run(long seed, VerdictPolicy policy, long maxVariantRequests) {
    SplittableRandom random = new SplittableRandom(seed);
    VerdictMonitor monitor = VerdictMonitor.of(ROUTE, policy, verdict -> { });
    long variantRequests = 0;
    while (variantRequests < maxVariantRequests) {
      boolean variant = random.nextDouble() < variantShare;
      double latency = LATENCIES[random.nextInt(LATENCIES.length)];
      if (variant) {
        variantRequests++;
        monitor.record("v2", random.nextDouble() < variantErrors, (long) (latency * variantLatencyFactor));
        if (monitor.state("v2") == VerdictState.WORSE) {
          return new Run(VerdictState.WORSE, variantRequests);
        }
      } else {
        monitor.record("v1", random.nextDouble() < defaultErrors, (long) latency);
        if (monitor.state("v2") == VerdictState.WORSE) {
          return new Run(VerdictState.WORSE, variantRequests);
        }
      }
    }
    return new Run(monitor.state("v2"), -1);
  }

  /** {@code size} log-normal latencies in nanoseconds, sorted (normal draws by Box-Muller). */
  private static double[] latencies(int size) {
    SplittableRandom random = new SplittableRandom(42);
    double[] table = new double[size];
    for (int i = 0; i < size; i++) {
      double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
      table[i] = MEDIAN_NANOS * Math.exp(SIGMA * gaussian);
    }
    Arrays.sort(table);
    return table;
  }
}
