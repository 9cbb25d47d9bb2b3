package dev.flagroute.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.context.FlagContext;
import dev.flagroute.evaluation.EvaluationFailure;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.verdict.Comparison;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingCountersTest {
  @Test
  void countsEveryEventByKind() {
    RoutingCounters counters = new RoutingCounters();

    counters.decided(FlagContext.empty());
    counters.headerDropped("x-flag-a", DropReason.UNTRUSTED);
    counters.headerDropped("x-flag-b", DropReason.UNTRUSTED);
    counters.headerDropped("x-flag-c", DropReason.TOO_MANY_FLAGS);
    counters.overrideAccepted(Map.of("a", "v2"));
    counters.overrideRejected(OverrideRejection.FORGED);
    counters.overrideRejected(OverrideRejection.EXPIRED);
    counters.misrouted(new Misroute("reviews", "v1", "a", "v2", "v2"));
    counters.evaluationFailed("a", EvaluationFailure.DEADLINE_EXCEEDED);

    assertThat(counters.decisions()).isEqualTo(1);
    assertThat(counters.dropped(DropReason.UNTRUSTED)).isEqualTo(2);
    assertThat(counters.dropped()).isEqualTo(3);
    assertThat(counters.overridesAccepted()).isEqualTo(1);
    assertThat(counters.overridesRejected(OverrideRejection.FORGED)).isEqualTo(1);
    assertThat(counters.overridesRejected()).isEqualTo(2);
    assertThat(counters.misroutes()).isEqualTo(1);
    assertThat(counters.evaluationFailures(EvaluationFailure.DEADLINE_EXCEEDED)).isEqualTo(1);
    assertThat(counters.evaluationFailures(EvaluationFailure.EXCEPTION)).isZero();
    assertThat(counters.evaluationFailures()).isEqualTo(1);
  }

  @Test
  void countsVerdictAndRampChangesByState() {
    RoutingCounters counters = new RoutingCounters();
    Comparison none = new Comparison(VerdictState.NOT_ENOUGH_DATA, 0, 0, 0, 0, 1);
    counters.verdictChanged(new Verdict("a", "v2", VerdictState.WORSE, none, none, Duration.ZERO));
    counters.rampChanged(new RampStatus("a", "v2", RampState.RAMPING, 1, 5, Instant.EPOCH));
    counters.rampChanged(new RampStatus("a", "v2", RampState.ROLLED_BACK, 1, 0, Instant.EPOCH));

    assertThat(counters.verdictChanges(VerdictState.WORSE)).isEqualTo(1);
    assertThat(counters.verdictChanges(VerdictState.BETTER)).isZero();
    assertThat(counters.rampChanges(RampState.RAMPING)).isEqualTo(1);
    assertThat(counters.rampChanges(RampState.ROLLED_BACK)).isEqualTo(1);
  }
}
