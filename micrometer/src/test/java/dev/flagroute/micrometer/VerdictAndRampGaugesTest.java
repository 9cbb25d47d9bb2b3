package dev.flagroute.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.observe.Metric;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.verdict.Comparison;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictState;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The verdict and ramp gauges follow each change, and request timers carry the catalogued latency buckets. */
class VerdictAndRampGaugesTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final VariantHealthMetrics metrics = new VariantHealthMetrics(registry);

  @Test
  void theVerdictGaugeHoldsTheLatestStateOfEachVariant() {
    metrics.verdictChanged(verdict("v2", VerdictState.NO_DIFFERENCE));
    metrics.verdictChanged(verdict("v3", VerdictState.BETTER));
    assertThat(gauge(VariantHealthMetrics.VERDICT_STATE, "v2")).isEqualTo(1);
    metrics.verdictChanged(verdict("v2", VerdictState.WORSE));
    assertThat(gauge(VariantHealthMetrics.VERDICT_STATE, "v2")).isEqualTo(2);
    assertThat(gauge(VariantHealthMetrics.VERDICT_STATE, "v3")).isEqualTo(3);
    assertThat(registry.find(VariantHealthMetrics.VERDICT_STATE).gauges()).hasSize(2);
  }

  @Test
  void theRampGaugesFollowEachStepAndTheRollBack() {
    metrics.rampChanged(new RampStatus("checkout", "v2", RampState.RAMPING, 0, 5, Instant.EPOCH));
    assertThat(gauge(VariantHealthMetrics.RAMP_SHARE, "v2")).isEqualTo(0.05);
    assertThat(gauge(VariantHealthMetrics.RAMP_STATE, "v2")).isEqualTo(1);
    metrics.rampChanged(new RampStatus("checkout", "v2", RampState.RAMPING, 2, 25, Instant.EPOCH));
    assertThat(gauge(VariantHealthMetrics.RAMP_SHARE, "v2")).isEqualTo(0.25);
    metrics.rampChanged(new RampStatus("checkout", "v2", RampState.ROLLED_BACK, 2, 0, Instant.EPOCH));
    assertThat(gauge(VariantHealthMetrics.RAMP_SHARE, "v2")).isZero();
    assertThat(gauge(VariantHealthMetrics.RAMP_STATE, "v2")).isEqualTo(Metric.code(RampState.ROLLED_BACK));
  }

  @Test
  void requestTimersCountIntoTheCataloguedLatencyBuckets() {
    FlagContext flags = FlagContext.builder(VariantHealthMetricsTest.ROUTES).relayed("checkout", "v2").build();
    metrics.completed(flags, RequestOutcome.success(Duration.ofMillis(30)));
    CountAtBucket[] buckets = registry.get(VariantHealthMetrics.REQUESTS).tags("variant", "v2").timer()
        .takeSnapshot().histogramCounts();
    assertThat(Arrays.stream(buckets).map(bucket -> Duration.ofNanos((long) bucket.bucket(TimeUnit.NANOSECONDS))))
        .containsExactlyElementsOf(Metric.LATENCY_BUCKETS);
    assertThat(Arrays.stream(buckets).filter(bucket -> bucket.count() == 1)
        .map(bucket -> Duration.ofNanos((long) bucket.bucket(TimeUnit.NANOSECONDS))).findFirst())
        .contains(Duration.ofMillis(50));
  }

  private double gauge(String name, String variant) {
    return registry.get(name).tags("flag", "checkout", "variant", variant).gauge().value();
  }

  private static Verdict verdict(String variant, VerdictState state) {
    Comparison comparison = new Comparison(state, 2000, 20, 2000, 20, 1);
    return new Verdict("checkout", variant, state, comparison, comparison, Duration.ofMillis(100));
  }
}
