package dev.flagroute.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuardPolicyTest {
  @Test
  void defaultsAreDocumented() {
    assertThat(GuardPolicy.defaults()).isEqualTo(new GuardPolicy(0.5, 20, 0.1, Duration.ofSeconds(30),
        Duration.ofSeconds(30), 0.1, 5));
  }

  @Test
  void valuesOutOfBoundsAreNamed() {
    assertThatThrownBy(() -> GuardPolicy.builder().failureRatio(1).build()).hasMessageStartingWith("failure ratio");
    assertThatThrownBy(() -> GuardPolicy.builder().failureRatio(Double.NaN).build()).hasMessageStartingWith("failure");
    assertThatThrownBy(() -> GuardPolicy.builder().minRequests(0).build()).hasMessageStartingWith("minimum requests");
    assertThatThrownBy(() -> GuardPolicy.builder().margin(1).build()).hasMessageStartingWith("margin");
    assertThatThrownBy(() -> GuardPolicy.builder().window(Duration.ZERO).build()).hasMessageStartingWith("window");
    assertThatThrownBy(() -> GuardPolicy.builder().coolDown(Duration.ofNanos(5)).build())
        .hasMessageStartingWith("cool-down");
    assertThatThrownBy(() -> GuardPolicy.builder().probeShare(0).build()).hasMessageStartingWith("probe share");
    assertThatThrownBy(() -> GuardPolicy.builder().probeRequests(0).build()).hasMessageStartingWith("probe requests");
    assertThat(GuardPolicy.builder().margin(0).probeShare(1).build().probeShare()).isEqualTo(1);
  }
}
