package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureWindowTest {
  @Test
  void countsWhatTheLastWindowSaw() {
    FailureWindow window = new FailureWindow(1000);
    window.record(0, true);
    window.record(450, false);
    window.record(999, true);

    assertThat(window.counts(999)).isEqualTo(new FailureWindow.Counts(3, 2));
    assertThat(window.counts(1000)).as("the first bucket slid out").isEqualTo(new FailureWindow.Counts(2, 1));
    assertThat(window.counts(1499)).isEqualTo(new FailureWindow.Counts(1, 1));
    assertThat(window.counts(5000)).isEqualTo(new FailureWindow.Counts(0, 0));
    assertThat(window.counts(5000).ratio()).isZero();
  }

  @Test
  void aReusedSlotStartsAfreshAndClearForgetsEverything() {
    FailureWindow window = new FailureWindow(1000);
    window.record(50, true);
    window.record(1050, false);

    assertThat(window.counts(1050)).isEqualTo(new FailureWindow.Counts(1, 0));
    window.clear();
    assertThat(window.counts(1050)).isEqualTo(new FailureWindow.Counts(0, 0));
  }

  @Test
  void aClockGoingBackwardsKeepsTheNewerBucket() {
    FailureWindow window = new FailureWindow(1000);
    window.record(1050, false);
    window.record(50, true);

    assertThat(window.counts(1050)).isEqualTo(new FailureWindow.Counts(1, 0));
  }
}
