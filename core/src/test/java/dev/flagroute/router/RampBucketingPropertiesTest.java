package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.routes.Ramp;
import dev.flagroute.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.assertj.core.data.Offset;

/**
 * Bucketing by targeting key: a user's variant changes only when the share widens to include
 * them (or on a roll-back), whatever the keys, schedules and clocks; replicas that read the same
 * routes at the same instant decide the same; the hash is pinned, since replicas of different
 * releases must agree.
 */
class RampBucketingPropertiesTest {
  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
  private static final String ROUTES = """
      routes:
        - flag: checkout
          service: reviews
          default: v1
          variants:
            v1: v1
            v2: {version: v2, ramp: {steps: [1, 5, 25, 50, 100], interval: 10m, start: '2026-01-05T09:00:00Z'}}
            v3: {version: v3, ramp: {steps: [0.5, 20], interval: 1h, start: '2026-01-05T09:30:00Z'}}
      """;

  /** Targeting keys as hostile as they come: any text, empty, very long, any code points. */
  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), Arbitraries.strings().all().ofMaxLength(300),
        Arbitraries.of("", " ", "user-1", "\u0000", "\uD83D\uDE00"));
  }

  /** Increasing steps of up to two decimals, ending anywhere up to 100. */
  @Provide
  Arbitrary<Ramp> ramps() {
    Arbitrary<List<Double>> steps = Arbitraries.integers().between(1, 10_000).set().ofMinSize(1).ofMaxSize(20)
        .map(set -> set.stream().sorted().map(bp -> bp / 100.0).toList());
    return Combinators.combine(steps, Arbitraries.integers().between(1, 3_600))
        .as((list, seconds) -> new Ramp(list, Duration.ofSeconds(seconds), START));
  }

  @Property
  void aUserInsideTheShareStaysInsideAsTimeGoesOn(@ForAll("keys") String key, @ForAll("ramps") Ramp ramp,
      @ForAll @LongRange(min = -100_000, max = 100_000_000) long first,
      @ForAll @LongRange(min = 0, max = 100_000_000) long later) {
    RampTrack track = new RampTrack("checkout", "v2", ramp, START.toEpochMilli(), status -> { });
    long t1 = START.toEpochMilli() + first;
    boolean before = track.admits(key, t1);
    boolean after = track.admits(key, t1 + later);
    if (before) {
      assertThat(after).isTrue();
    }
  }

  @Property
  void aClockSteppingBackNeverNarrowsTheShare(@ForAll("keys") String key, @ForAll("ramps") Ramp ramp,
      @ForAll @LongRange(min = 0, max = 100_000_000) long at, @ForAll @LongRange(min = 0, max = 100_000_000) long back) {
    RampTrack track = new RampTrack("checkout", "v2", ramp, START.toEpochMilli(), status -> { });
    long now = START.toEpochMilli() + at;
    if (track.admits(key, now)) {
      assertThat(track.admits(key, now - back)).isTrue();
    }
  }

  @Property
  void widerSharesHoldEveryUserOfNarrowerOnes(@ForAll("keys") String key, @ForAll @IntRange(min = 0, max = 10_000) int a,
      @ForAll @IntRange(min = 0, max = 10_000) int b) {
    int bucket = Buckets.bucket(Buckets.salt("checkout", "v2"), key);
    assertThat(bucket).isBetween(0, Buckets.SIZE - 1);
    if (bucket < Math.min(a, b)) {
      assertThat(bucket).isLessThan(Math.max(a, b));
    }
  }

  @Property
  void replicasReadingTheSameRoutesDecideTheSame(@ForAll("keys") String key,
      @ForAll @LongRange(min = -3_600_000, max = 20_000_000) long offset, @ForAll boolean v3) {
    Instant now = START.plusMillis(offset);
    FlagRoutes a = FlagRoutesFile.parse(ROUTES, "a.yaml");
    FlagRoutes b = FlagRoutesFile.parse(ROUTES, "b.yaml");
    FlagContext one = replica(a, now).apply(decided(a, v3 ? "v3" : "v2"), key);
    FlagContext two = replica(b, now).apply(decided(b, v3 ? "v3" : "v2"), key);
    assertThat(two.decisions()).isEqualTo(one.decisions());
  }

  @Property
  void usersOutsideTheShareGetTheDefaultWithReasonRamp(@ForAll("keys") String key,
      @ForAll @LongRange(min = -3_600_000, max = 20_000_000) long offset) {
    FlagRoutes routes = FlagRoutesFile.parse(ROUTES, "routes.yaml");
    Rollouts rollouts = replica(routes, START.plusMillis(offset));
    FlagDecision decision = rollouts.apply(decided(routes, "v2"), key).decision("checkout");
    if (decision.variant().equals("v2")) {
      assertThat(decision.source()).isEqualTo(Source.EVALUATED);
    } else {
      assertThat(decision).isEqualTo(new FlagDecision("v1", Source.DEFAULT, FlagDecision.RAMP));
    }
    int share = routes.get("checkout").ramps().get("v2").basisPointsAt(START.plusMillis(offset).toEpochMilli());
    boolean inside = share == Buckets.SIZE || share > 0 && !key.isEmpty()
        && Buckets.bucket(Buckets.salt("checkout", "v2"), key) < share;
    assertThat(decision.variant()).isEqualTo(inside ? "v2" : "v1");
  }

  @Example
  void theHashIsPinned() {
    assertThat(Buckets.bucket(Buckets.salt("checkout", "v2"), "user-1")).isEqualTo(2197);
    assertThat(Buckets.bucket(Buckets.salt("checkout", "v2"), "user-2")).isEqualTo(9853);
    assertThat(Buckets.bucket(Buckets.salt("Checkout", "v2"), "user-1")).isEqualTo(2197);
    assertThat(Buckets.bucket(Buckets.salt("search", "on"), "42")).isEqualTo(6258);
    assertThat(Buckets.bucket(Buckets.salt("checkout", "v3"), "user-1")).isEqualTo(7693);
    assertThat(Buckets.bucket(Buckets.salt("checkout", "v2"), "\u00fcn\u00efc\u00f8d\u00e9-\uD83D\uDE42"))
        .isEqualTo(2592);
  }

  @Example
  void sharesOfUsersMatchThePercentages() {
    long salt = Buckets.salt("checkout", "v2");
    int[] thresholds = {100, 500, 2_500, 5_000};
    int[] inside = new int[thresholds.length];
    int users = 200_000;
    for (int i = 0; i < users; i++) {
      int bucket = Buckets.bucket(salt, "user-" + i);
      for (int t = 0; t < thresholds.length; t++) {
        inside[t] += bucket < thresholds[t] ? 1 : 0;
      }
    }
    List<Double> shares = new ArrayList<>();
    for (int t = 0; t < thresholds.length; t++) {
      double share = (double) inside[t] / users;
      shares.add(share);
      // five standard deviations of a binomial share
      double tolerance = 5 * Math.sqrt(thresholds[t] / 10_000.0 * (1 - thresholds[t] / 10_000.0) / users);
      assertThat(share).as("share for %d basis points", thresholds[t])
          .isCloseTo(thresholds[t] / 10_000.0, Offset.offset(tolerance));
    }
    assertThat(shares).isSorted();
  }

  @Example
  void anonymousUsersGetARampedVariantOnlyAtFullShare() {
    FlagRoutes routes = FlagRoutesFile.parse(ROUTES, "routes.yaml");
    assertThat(replica(routes, START.plus(Duration.ofMinutes(35))).apply(decided(routes, "v2"), null).variant("checkout"))
        .isEqualTo("v1");
    assertThat(replica(routes, START.plus(Duration.ofMinutes(45))).apply(decided(routes, "v2"), null).variant("checkout"))
        .isEqualTo("v2");
  }

  private static Rollouts replica(FlagRoutes routes, Instant now) {
    return Rollouts.of(routes, Map.of(), new MutableClock(now), v -> { }, r -> { });
  }

  private static FlagContext decided(FlagRoutes routes, String variant) {
    return FlagContext.builder(routes).put("checkout", new FlagDecision(variant, Source.EVALUATED, "STATIC")).build();
  }
}
