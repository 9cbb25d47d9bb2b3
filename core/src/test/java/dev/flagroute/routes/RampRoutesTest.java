package dev.flagroute.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ramps declared in routes files and builders: the schedule, and errors naming file, flag and problem. */
class RampRoutesTest {
  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

  private static String routes(String ramp) {
    return """
        routes:
          - flag: checkout
            service: reviews
            default: v1
            variants:
              v1: v1
              v2:
                version: v2
                ramp:
        """ + ramp.indent(10);
  }

  @Test
  void readsARampFromAFile() {
    FlagRoutes routes = FlagRoutesFile.parse(routes("""
        steps: [0.5, 5, 25, 50, 100]
        interval: 10m
        start: 2026-01-05T10:00:00+01:00
        """), "routes.yaml");
    Ramp ramp = routes.get("checkout").ramps().get("v2");
    assertThat(ramp).isEqualTo(Ramp.of(START, Duration.ofMinutes(10), 0.5, 5, 25, 50, 100));
    assertThat(routes.get("checkout").ramps()).containsOnlyKeys("v2");
  }

  @ParameterizedTest
  @CsvSource({"90s, PT1M30S", "10m, PT10M", "2h, PT2H", "1d, PT24H", "PT15M, PT15M"})
  void readsIntervals(String written, String meant) {
    FlagRoutes routes = FlagRoutesFile.parse(routes("steps: [50, 100]\ninterval: " + written
        + "\nstart: '2026-01-05T09:00:00Z'\n"), "routes.yaml");
    assertThat(routes.get("checkout").ramps().get("v2").interval()).isEqualTo(Duration.parse(meant));
  }

  @Test
  void theScheduleIsAnchoredToTheStart() {
    Ramp ramp = Ramp.of(START, Duration.ofMinutes(10), 1, 5, 25, 50, 100);
    assertThat(ramp.stepAt(START.minusMillis(1))).isEqualTo(-1);
    assertThat(ramp.basisPointsAt(START.minusMillis(1).toEpochMilli())).isZero();
    assertThat(ramp.stepAt(START)).isZero();
    assertThat(ramp.basisPointsAt(START.toEpochMilli())).isEqualTo(100);
    assertThat(ramp.stepAt(START.plus(Duration.ofMinutes(10)).minusMillis(1))).isZero();
    assertThat(ramp.stepAt(START.plus(Duration.ofMinutes(10)))).isEqualTo(1);
    assertThat(ramp.stepAt(START.plus(Duration.ofMinutes(40)))).isEqualTo(4);
    assertThat(ramp.stepAt(START.plus(Duration.ofDays(400)))).isEqualTo(4);
    assertThat(ramp.basisPointsAt(START.plus(Duration.ofDays(400)).toEpochMilli())).isEqualTo(10_000);
    assertThat(ramp.stepStart(2)).isEqualTo(START.plus(Duration.ofMinutes(20)));
  }

  @Test
  void badRampsAreNamedWithTheirFileFlagAndVariant() {
    InvalidRoutesException e = catchThrowableOfType(InvalidRoutesException.class, () -> FlagRoutesFile.parse("""
        routes:
          - flag: checkout
            service: reviews
            default: v1
            variants:
              v1: v1
              v2: {version: v2, ramp: {steps: [5, 1], interval: 10m, start: '2026-01-05T09:00:00Z'}}
              v3: {version: v3, ramp: {steps: [1, 100], interval: soon, start: tomorrow, speed: 2}}
              v4: {version: v4, ramp: [1, 5]}
              v5: {version: v5, ramp: {steps: [1, 100], interval: 10m}}
          - flag: search
            service: search
            default: off
            variants:
              off: v1
              on: {version: v2, ramp: {steps: [0, 100.001], interval: 0s, start: '2026-01-05T09:00:00Z'}}
        """, "routes.yaml"));
    assertThat(e.source()).isEqualTo("routes.yaml");
    assertThat(e.problems()).containsExactly(
        "flag 'checkout': variant 'v2': ramp steps must increase, found 1.0 after 5.0",
        "flag 'checkout': variant 'v3': ramp: unknown field 'speed' (expected steps, interval, start)",
        "flag 'checkout': variant 'v3': ramp: interval 'soon' must be a duration such as 90s, 10m, 2h, 1d or PT10M",
        "flag 'checkout': variant 'v3': ramp: start 'tomorrow' must be an ISO-8601 instant with an offset, e.g."
            + " 2026-01-05T09:00:00Z",
        "flag 'checkout': variant 'v4': ramp: expected a mapping with steps, interval and start",
        "flag 'checkout': variant 'v5': ramp: 'start' is missing: the instant the first step begins, e.g."
            + " 2026-01-05T09:00:00Z, which every replica reads so that they agree on the schedule",
        "flag 'search': variant 'on': ramp step 0.0 must be a percentage above 0 and at most 100");
    assertThat(e).hasMessageStartingWith("routes.yaml: invalid flag routes:");
  }

  @Test
  void theBuilderChecksWhichVariantIsRamped() {
    Ramp ramp = Ramp.of(START, Duration.ofMinutes(10), 10, 100);
    assertThatThrownBy(() -> FlagRoute.builder("checkout").service("reviews").variant("v1", "v1")
        .variant("v2", "v2").defaultVariant("v1").ramp("v1", ramp).ramp("v3", ramp).ramp("v2", ramp)
        .ramp("v2", ramp).build())
        .isInstanceOfSatisfying(InvalidRoutesException.class, e -> assertThat(e.problems()).containsExactly(
            "flag 'checkout': variant 'v2' has two ramps",
            "flag 'checkout': the default variant 'v1' cannot be ramped: it is what users outside a ramp get;"
                + " ramp a non-default variant",
            "flag 'checkout': variant 'v3' has a ramp but is not one of the variants [v1, v2]"));
  }

  @Test
  void rampValuesNameWhatIsWrong() {
    assertThatThrownBy(() -> Ramp.of(START, Duration.ofMinutes(1))).hasMessageContaining("at least one step");
    assertThatThrownBy(() -> Ramp.of(START, Duration.ofMillis(999), 1)).hasMessageContaining("at least one second");
    assertThatThrownBy(() -> Ramp.of(null, Duration.ofMinutes(1), 1)).hasMessageContaining("start instant");
    assertThatThrownBy(() -> Ramp.of(START, Duration.ofMinutes(1), 1.005)).hasMessageContaining("two decimals");
    assertThatThrownBy(() -> new Ramp(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0,
        14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0), Duration.ofMinutes(1), START))
        .hasMessageContaining("at most 20");
    assertThat(Ramp.of(START, Duration.ofMinutes(1), 0.01, 100).basisPoints(0)).isEqualTo(1);
  }

  @Test
  void routesWithRampsAreEqualOnlyWithTheSameRamp() {
    FlagRoute.Builder base = FlagRoute.builder("checkout").service("reviews").variant("v1", "v1")
        .variant("v2", "v2").defaultVariant("v1");
    FlagRoute plain = base.build();
    FlagRoute ramped = base.ramp("v2", Ramp.of(START, Duration.ofMinutes(10), 10, 100)).build();
    assertThat(ramped).isNotEqualTo(plain);
    assertThat(ramped.toString()).contains("ramps={v2=Ramp[10.0, 100.0] every PT10M from 2026-01-05T09:00:00Z}");
  }
}
