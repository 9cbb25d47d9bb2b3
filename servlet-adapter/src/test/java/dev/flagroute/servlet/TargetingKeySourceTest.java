package dev.flagroute.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetingKeySourceTest {
  @Test
  void headerIsStrippedAndBlankOrOversizedValuesCountAsAbsent() {
    TargetingKeySource source = TargetingKeySource.header("x-user-id");

    assertThat(source.targetingKey(new FakeRequest().header("X-User-Id", " alice ").build())).isEqualTo("alice");
    assertThat(source.targetingKey(new FakeRequest().header("x-user-id", "  ").build())).isNull();
    assertThat(source.targetingKey(new FakeRequest().header("x-user-id", "a".repeat(257)).build())).isNull();
    assertThat(source.targetingKey(new FakeRequest().header("x-user-id", "a".repeat(256)).build())).hasSize(256);
    assertThat(source.targetingKey(new FakeRequest().build())).isNull();
  }

  @Test
  void cookieTakesTheFirstCookieOfThatName() {
    TargetingKeySource source = TargetingKeySource.cookie("uid");

    assertThat(source.targetingKey(new FakeRequest().cookie("theme", "dark").cookie("uid", "bob")
        .cookie("uid", "eve").build())).isEqualTo("bob");
    assertThat(source.targetingKey(new FakeRequest().cookie("theme", "dark").build())).isNull();
    assertThat(source.targetingKey(new FakeRequest().build())).as("no cookies at all").isNull();
  }

  @Test
  void principalIsTheAuthenticatedName() {
    TargetingKeySource source = TargetingKeySource.principal();

    assertThat(source.targetingKey(new FakeRequest().principal("carol").build())).isEqualTo("carol");
    assertThat(source.targetingKey(new FakeRequest().build())).isNull();
  }

  @Test
  void noneNeverHasAKey() {
    assertThat(TargetingKeySource.none().targetingKey(new FakeRequest().header("x-user-id", "alice").build()))
        .isNull();
  }
}
