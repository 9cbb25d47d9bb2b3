package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The calibration the documentation states, measured by seeded simulation: false WORSE verdicts
 * over 1,000 no-change runs looked at after every request, and how many requests per variant find
 * a doubled error ratio and a 50% slower p95 in at least 90% of runs.
 */
class VerdictCalibrationTest {
  static final int RUNS = 1_000;
  static final long NO_CHANGE_REQUESTS = 20_000;
  /** The requests per variant within which the documentation says a doubled error ratio is found. */
  static final long ERROR_DETECTION_REQUESTS = 5_500;
  /** The requests per variant within which the documentation says a 50% slower p95 is found. */
  static final long LATENCY_DETECTION_REQUESTS = 2_500;

  @Test
  void noChangeRunsRarelyTurnWorse() {
    Simulation same = new Simulation(0.5, 0.01, 0.01, 1.0);
    long worse = IntStream.range(0, RUNS).parallel()
        .filter(run -> same.run(1_000 + run, VerdictPolicy.defaults(), NO_CHANGE_REQUESTS).state() == VerdictState.WORSE)
        .count();
    System.out.println("false WORSE: " + worse + " of " + RUNS);
    assertThat(worse).isLessThanOrEqualTo(RUNS * 5 / 100);
  }

  /** As a ramp's first steps send it: a tenth of the traffic to the variant, 300 runs of 5,000 variant requests. */
  @Test
  void noChangeRunsRarelyTurnWorseOnATenthOfTheTraffic() {
    Simulation same = new Simulation(0.1, 0.01, 0.01, 1.0);
    int runs = 300;
    long worse = IntStream.range(0, runs).parallel()
        .filter(run -> same.run(7_000 + run, VerdictPolicy.defaults(), 5_000).state() == VerdictState.WORSE)
        .count();
    System.out.println("false WORSE at a tenth of the traffic: " + worse + " of " + runs);
    assertThat(worse).isLessThanOrEqualTo(runs * 5 / 100);
  }

  @Test
  void doubledErrorRatioIsFound() {
    report("errors 1% -> 2%", new Simulation(0.5, 0.01, 0.02, 1.0), ERROR_DETECTION_REQUESTS);
  }

  @Test
  void slowerP95IsFound() {
    report("latency x1.5", new Simulation(0.5, 0.01, 0.01, 1.5), LATENCY_DETECTION_REQUESTS);
  }

  private static void report(String what, Simulation simulation, long budget) {
    long[] at = IntStream.range(0, RUNS).parallel()
        .mapToObj(run -> simulation.run(50_000 + run, VerdictPolicy.defaults(), budget))
        .mapToLong(run -> run.state() == VerdictState.WORSE ? run.variantRequestsAtWorse() : Long.MAX_VALUE)
        .sorted().toArray();
    long found = Arrays.stream(at).filter(n -> n != Long.MAX_VALUE).count();
    System.out.println(what + ": found " + found + " of " + RUNS + "; median " + at[RUNS / 2] + ", p90 "
        + at[RUNS * 9 / 10 - 1]);
    assertThat(found).isGreaterThanOrEqualTo(RUNS * 90 / 100);
  }
}
