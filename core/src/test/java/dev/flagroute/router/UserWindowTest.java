package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserWindowTest {
  @Test
  void eachUserCountsOnceAsAUserAndOnceAsFailingPerWindow() {
    UserWindow window = new UserWindow(1000);
    long alice = UserWindow.hash("key:alice");
    long bob = UserWindow.hash("key:bob");
    for (int i = 0; i < 100; i++) {
      window.record(i, alice, true);
    }
    window.record(200, bob, false);
    window.record(300, bob, true);

    assertThat(window.counts(300)).isEqualTo(new FailureWindow.Counts(2, 2));
    window.record(1150, alice, true);
    assertThat(window.counts(1150)).as("alice's bucket slid out: counted again")
        .isEqualTo(new FailureWindow.Counts(2, 2));
    assertThat(window.counts(5000)).isEqualTo(new FailureWindow.Counts(0, 0));
  }

  @Test
  void hashesAreKeyedAndTellNamesApart() {
    assertThat(UserWindow.hash("key:a")).isNotEqualTo(UserWindow.hash("key:b"));
    assertThat(UserWindow.hash("Aa")).as("String.hashCode collides here").isNotEqualTo(UserWindow.hash("BB"));
    assertThat(UserWindow.hash("x".repeat(100_000))).isEqualTo(UserWindow.hash("x".repeat(100_000)));
  }

  @Test
  void usersBeyondTheBoundWaitUntilEntriesExpire() {
    UserWindow window = new UserWindow(1000);
    for (int i = 0; i < 2 * UserWindow.MAX_USERS; i++) {
      window.record(10, UserWindow.hash("key:user-" + i), false);
    }
    assertThat(window.counts(10).requests()).isEqualTo(UserWindow.MAX_USERS);

    for (int i = 0; i < UserWindow.MAX_USERS; i++) {
      window.record(2000, UserWindow.hash("key:late-" + i), true);
    }
    assertThat(window.counts(2000)).as("the expired entries made room")
        .isEqualTo(new FailureWindow.Counts(UserWindow.MAX_USERS, UserWindow.MAX_USERS));
  }
}
