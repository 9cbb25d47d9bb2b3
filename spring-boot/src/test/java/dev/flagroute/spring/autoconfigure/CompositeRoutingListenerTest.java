package dev.flagroute.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.observe.RoutingListener;
import dev.flagroute.ramp.RampState;
import dev.flagroute.ramp.RampStatus;
import dev.flagroute.verdict.Comparison;
import dev.flagroute.verdict.Verdict;
import dev.flagroute.verdict.VerdictState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CompositeRoutingListenerTest {
  @Test
  void verdictAndRampChangesReachEveryListenerPastOneThatThrows() {
    List<Object> heard = new CopyOnWriteArrayList<>();
    RoutingListener throwing = new RoutingListener() {
      @Override
      public void verdictChanged(Verdict verdict) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void rampChanged(RampStatus status) {
        throw new IllegalStateException("listener bug");
      }
    };
    RoutingListener recording = new RoutingListener() {
      @Override
      public void verdictChanged(Verdict verdict) {
        heard.add(verdict);
      }

      @Override
      public void rampChanged(RampStatus status) {
        heard.add(status);
      }
    };
    RoutingListener composite = CompositeRoutingListener.of(List.of(throwing, recording));
    Comparison none = new Comparison(VerdictState.NOT_ENOUGH_DATA, 0, 0, 0, 0, 1);
    Verdict verdict = new Verdict("checkout", "v2", VerdictState.WORSE, none, none, Duration.ZERO);
    RampStatus status = new RampStatus("checkout", "v2", RampState.ROLLED_BACK, 2, 0, Instant.EPOCH);

    composite.verdictChanged(verdict);
    composite.rampChanged(status);

    assertThat(heard).containsExactly(verdict, status);
  }
}
