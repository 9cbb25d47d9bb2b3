package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.routes.FlagRoute;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictPolicy;
import dev.flagroute.verdict.VerdictState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictMonitorTest {
  static final FlagRoute ROUTE = FlagRoute.builder("checkout").service("reviews").variant("v1", "v1")
      .variant("v2", "v2").variant("v3", "v3").defaultVariant("v1").build();
  static final VerdictPolicy SMALL = VerdictPolicy.builder().minRequests(200).calibrationRequests(100).build();
  static final long MS = 1_000_000;

  final List<Verdict> changes = new ArrayList<>();
  final VerdictMonitor monitor = VerdictMonitor.of(ROUTE, SMALL, changes::add);

  /** {@code n} requests of {@code variant}, every {@code failEvery}-th failing (0: none), each taking {@code ms}. */
  void feed(String variant, int n, int failEvery, long ms) {
    for (int i = 1; i <= n; i++) {
      monitor.record(variant, failEvery > 0 && i % failEvery == 0, ms * MS);
    }
  }

  void calibrate() {
    for (int i = 1; i <= 100; i++) {
      monitor.record("v1", false, i * MS);
    }
  }

  @Test
  void saysNothingBeforeBothSidesHaveTheMinimum() {
    calibrate();
    feed("v1", 500, 100, 50);
    feed("v2", 199, 2, 500);
    assertThat(monitor.state("v2")).isEqualTo(VerdictState.NOT_ENOUGH_DATA);
    assertThat(monitor.verdict("v2").errors().pValue()).isEqualTo(1.0);
    assertThat(changes).isEmpty();
  }

  @Test
  void sameBehaviourIsNoDifference() {
    calibrate();
    feed("v1", 400, 50, 50);
    feed("v2", 400, 50, 50);
    Verdict verdict = monitor.verdict("v2");
    assertThat(verdict.state()).isEqualTo(VerdictState.NO_DIFFERENCE);
    assertThat(verdict.errors().variantRequests()).isEqualTo(400);
    assertThat(verdict.errors().variantHits()).isEqualTo(8);
    assertThat(verdict.errors().defaultRequests()).isEqualTo(500);
    assertThat(verdict.errors().defaultHits()).isEqualTo(8);
    assertThat(verdict.slowThreshold()).isEqualTo(Duration.ofMillis(95));
    assertThat(verdict.latency().defaultRequests()).isEqualTo(400);
    assertThat(verdict.latency().variantShare()).isZero();
    assertThat(changes).extracting(Verdict::state).containsExactly(VerdictState.NO_DIFFERENCE);
    assertThat(monitor.state("v3")).isEqualTo(VerdictState.NOT_ENOUGH_DATA);
  }

  @Test
  void moreErrorsIsWorseOnceAndForGood() {
    calibrate();
    feed("v1", 1_000, 100, 50);
    feed("v2", 1_000, 5, 50);
    Verdict worse = monitor.verdict("v2");
    assertThat(worse.state()).isEqualTo(VerdictState.WORSE);
    assertThat(worse.errors().state()).isEqualTo(VerdictState.WORSE);
    assertThat(worse.errors().pValue()).isLessThanOrEqualTo(0.05);
    assertThat(worse.errors().variantShare()).isEqualTo(0.2);
    feed("v2", 5_000, 100, 50); // healthy again: a verdict reached stays
    assertThat(monitor.state("v2")).isEqualTo(VerdictState.WORSE);
    assertThat(changes).extracting(Verdict::state).containsExactly(VerdictState.WORSE);
    assertThat(changes.get(0).variant()).isEqualTo("v2");
  }

  @Test
  void fewerSlowRequestsIsBetter() {
    calibrate();
    feed("v1", 200, 0, 99); // every one above the 95 ms threshold
    feed("v1", 800, 0, 10);
    feed("v2", 1_000, 0, 10);
    Verdict verdict = monitor.verdict("v2");
    assertThat(verdict.latency().state()).isEqualTo(VerdictState.BETTER);
    assertThat(verdict.latency().defaultShare()).isEqualTo(0.2);
    assertThat(verdict.state()).isEqualTo(VerdictState.BETTER);
  }

  @Test
  void slowerWinsOverFewerErrors() {
    calibrate();
    feed("v1", 1_000, 20, 10);
    feed("v2", 1_000, 0, 200);
    assertThat(monitor.verdict("v2").errors().state()).isEqualTo(VerdictState.BETTER);
    assertThat(monitor.verdict("v2").latency().state()).isEqualTo(VerdictState.WORSE);
    assertThat(monitor.state("v2")).isEqualTo(VerdictState.WORSE);
  }

  @Test
  void ignoresVariantsItDoesNotCompare() {
    monitor.record("v9", true, MS);
    monitor.record(null, true, MS);
    assertThat(monitor.verdict("v1")).isNull();
    assertThat(monitor.state("v9")).isNull();
    assertThat(monitor.verdicts()).extracting(Verdict::variant).containsExactly("v2", "v3");
    assertThat(monitor.verdicts()).allSatisfy(v -> assertThat(v.slowThreshold()).isEqualTo(Duration.ZERO));
  }

  @Test
  void policyNamesTheValueOutOfBounds() {
    assertThatThrownBy(() -> VerdictPolicy.builder().alpha(0).build()).hasMessageContaining("alpha");
    assertThatThrownBy(() -> VerdictPolicy.builder().minRequests(0).build()).hasMessageContaining("minimum");
    assertThatThrownBy(() -> VerdictPolicy.builder().errorDifference(1).build()).hasMessageContaining("error");
    assertThatThrownBy(() -> VerdictPolicy.builder().slowShareDifference(0).build()).hasMessageContaining("slow share");
    assertThatThrownBy(() -> VerdictPolicy.builder().slowQuantile(0.5).build()).hasMessageContaining("quantile");
    assertThatThrownBy(() -> VerdictPolicy.builder().calibrationRequests(99).build()).hasMessageContaining("calibration");
    assertThat(VerdictPolicy.defaults().holdBackWorse()).isFalse();
  }
}
