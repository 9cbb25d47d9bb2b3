package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DoorkeeperTest {
  @Test
  void aKeyIsSeenOnItsSecondVisitOnly() {
    Doorkeeper doorkeeper = new Doorkeeper(1_000);

    assertThat(doorkeeper.seenBefore("user-1".hashCode())).isFalse();
    assertThat(doorkeeper.seenBefore("user-1".hashCode())).isTrue();
    assertThat(doorkeeper.seenBefore("user-1".hashCode())).isTrue();
    assertThat(doorkeeper.seenBefore("user-2".hashCode())).isFalse();
  }

  @Test
  void remembersAKeyUntilAWindowOfNewKeysHasBeenRecorded() {
    Doorkeeper doorkeeper = new Doorkeeper(1_000);
    assertThat(doorkeeper.window()).as("8 bits per entry, rounded up to a power of two, / 8").isEqualTo(1_024);
    doorkeeper.seenBefore("returning".hashCode());

    int offered = 0;
    int recorded = 1;
    while (recorded < doorkeeper.window() - 1) {
      if (!doorkeeper.seenBefore(("other-" + offered++).hashCode())) {
        recorded++;
      }
    }
    assertThat(doorkeeper.seenBefore("returning".hashCode())).as("remembered within the window").isTrue();
    assertThat(offered - recorded).as("new keys that passed as seen").isLessThan(offered / 20);

    while (doorkeeper.seenBefore(("other-" + offered++).hashCode())) {
      // false positives are not recorded and do not move the window
    }
    assertThat(doorkeeper.seenBefore("returning".hashCode())).as("forgotten after the window").isFalse();
  }

  @Test
  void memoryIsBoundedWhateverTheCapacity() {
    assertThat(new Doorkeeper(1).window()).isEqualTo(128);
    assertThat(new Doorkeeper(Long.MAX_VALUE / 16).window()).isEqualTo((1 << 23) / 8);
  }
}
