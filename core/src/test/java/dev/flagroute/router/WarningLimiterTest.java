package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WarningLimiterTest {
  @Test
  void allowsOneWarningPerSlotPerMinute() {
    MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    WarningLimiter limiter = new WarningLimiter(clock, 2);

    assertThat(limiter.tryAcquire(0)).isTrue();
    assertThat(limiter.tryAcquire(0)).isFalse();
    assertThat(limiter.tryAcquire(1)).as("slots are independent").isTrue();
    clock.advance(Duration.ofSeconds(59));
    assertThat(limiter.tryAcquire(0)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire(0)).isTrue();
    assertThat(limiter.tryAcquire(0)).isFalse();
  }

  @Test
  void worksAtTheEpoch() {
    WarningLimiter limiter = new WarningLimiter(new MutableClock(Instant.EPOCH), 1);

    assertThat(limiter.tryAcquire(0)).isTrue();
    assertThat(limiter.tryAcquire(0)).isFalse();
  }
}
