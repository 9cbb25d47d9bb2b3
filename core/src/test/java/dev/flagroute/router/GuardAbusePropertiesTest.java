package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.guard.GuardState;
import dev.flagroute.guard.GuardTransition;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * An attacker who controls fewer users than {@link GuardPolicy#minFailingUsers()} and makes every
 * one of their requests fail, interleaved at random with honest traffic, under random policies:
 * it can neither trip the guard nor keep it open once a real failure has tripped it and healed.
 */
class GuardAbusePropertiesTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build());
  private static final Duration LATENCY = Duration.ofMillis(1);
  private static final int HONEST_USERS = 2000;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<GuardTransition> transitions = new ArrayList<>();

  @Property(tries = 60)
  void anAttackerWithFewerUsersThanTheMinimumCannotTripTheGuard(@ForAll("policies") GuardPolicy policy,
      @ForAll @IntRange(min = 0, max = 1000) int attackerSeed, @ForAll("bursts") List<Integer> bursts) {
    int attackers = 1 + attackerSeed % (policy.minFailingUsers() - 1);
    RolloutGuard guard = guard(policy);

    interleave(guard, attackers, bursts);

    assertThat(transitions).as("%d attackers, %s", attackers, policy).isEmpty();
  }

  @Property(tries = 60)
  void anAttackerWithFewerUsersThanTheMinimumCannotHoldTheGuardOpen(@ForAll("policies") GuardPolicy policy,
      @ForAll @IntRange(min = 0, max = 1000) int attackerSeed, @ForAll("bursts") List<Integer> bursts) {
    int attackers = 1 + attackerSeed % (policy.minFailingUsers() - 1);
    RolloutGuard guard = guard(policy);
    for (int i = 0; i < 200; i++) { // a real failure of v2, seen by many users
      serve(guard, "outage-" + i, "v2", true);
      serve(guard, "stable-" + i, "v1", false);
    }
    assertThat(guard.status().get(0).state()).isEqualTo(GuardState.OPEN);
    clock.advance(policy.coolDown());
    transitions.clear();

    interleave(guard, attackers, bursts);

    assertThat(transitions).as("%d attackers, %s", attackers, policy).extracting(GuardTransition::to)
        .containsExactly(GuardState.HALF_OPEN, GuardState.CLOSED);
  }

  /**
   * Honest user {@code i} (v2 for even, v1 for odd numbers) makes one request that succeeds, after
   * {@code bursts[i]} failing requests by the attacker's users (v2, in turn); 2 ms pass per request,
   * so the whole interleaving fits in the shortest window drawn.
   */
  private void interleave(RolloutGuard guard, int attackers, List<Integer> bursts) {
    int attack = 0;
    for (int i = 0; i < HONEST_USERS; i++) {
      for (int b = 0; b < bursts.get(i); b++) {
        serve(guard, "attacker-" + attack++ % attackers, "v2", true);
      }
      serve(guard, "honest-" + i, i % 2 == 0 ? "v2" : "v1", false);
    }
  }

  private void serve(RolloutGuard guard, String user, String variant, boolean failed) {
    clock.advance(Duration.ofMillis(2));
    FlagContext decided = FlagContext.builder(ROUTES)
        .put("checkout", new FlagDecision(variant, Source.EVALUATED, "TARGETING_MATCH")).build();
    FlagContext served = guard.apply(decided, user);
    guard.record(served, new RequestOutcome(failed, LATENCY).seenBy(user, null));
  }

  private RolloutGuard guard(GuardPolicy policy) {
    transitions.clear();
    return RolloutGuard.of(ROUTES, Map.of("checkout", policy), clock, transitions::add);
  }

  @Provide
  Arbitrary<GuardPolicy> policies() {
    return net.jqwik.api.Combinators.combine(Arbitraries.of(0.2, 0.5, 0.8), Arbitraries.integers().between(1, 50),
        Arbitraries.of(0.0, 0.1), Arbitraries.of(0.1, 0.5, 1.0), Arbitraries.integers().between(1, 10))
        .as((ratio, minUsers, margin, share, probes) -> GuardPolicy.builder().failureRatio(ratio).minRequests(minUsers)
            .margin(margin).window(Duration.ofSeconds(30)).coolDown(Duration.ofSeconds(20)).probeShare(share)
            .probeRequests(probes).build());
  }

  @Provide
  Arbitrary<List<Integer>> bursts() {
    return Arbitraries.integers().between(0, 4).list().ofSize(HONEST_USERS);
  }
}
