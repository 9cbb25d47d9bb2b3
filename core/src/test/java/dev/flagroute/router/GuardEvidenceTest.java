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
import org.junit.jupiter.api.Test;

/**
 * How much traffic a real failure of a variant (every request to v2 fails, for every user) takes
 * to trip the guard with the default policy, counted in requests to v2, deterministically (a clock
 * the test moves, 10 ms a request). The per-request rule before tripped after
 * {@code minRequests} (20) failing requests whatever the users, so one user could trip it; these
 * numbers are quoted in the security documentation.
 */
class GuardEvidenceTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(FlagRoute.builder("checkout").service("reviews")
      .variant("v1", "v1").variant("v2", "v2").defaultVariant("v1").build());

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<GuardTransition> transitions = new ArrayList<>();
  private final RolloutGuard guard = RolloutGuard.of(ROUTES, Map.of("checkout", GuardPolicy.defaults()), clock,
      transitions::add);

  @Test
  void manyUsersWithOneRequestEachTripItAfterTwentyRequestsAsBefore() {
    assertThat(requestsToTrip(1)).isEqualTo(20);
  }

  @Test
  void usersWithABurstOfTenRequestsEachTripItAfterTwentyUsers() {
    assertThat(requestsToTrip(10)).isEqualTo(191);
  }

  @Test
  void withHealthyTrafficOnBothVariantsItStillTripsOnTheTwentiethFailingUser() {
    assertThat(requestsToTrip(3)).isEqualTo(58);
    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.users()).isEqualTo(20);
      assertThat(t.failureRatio()).isEqualTo(1.0);
    });
  }

  /** Users v2-0, v2-1, ... each send {@code burst} failing requests in a row; the requests to v2 until the trip. */
  private int requestsToTrip(int burst) {
    int requests = 0;
    for (int user = 0; user < 1000; user++) {
      for (int i = 0; i < burst; i++) {
        serve("v1-" + user, "v1", false);
        requests++;
        serve("v2-" + user, "v2", true);
        if (!transitions.isEmpty()) {
          assertThat(transitions).singleElement().extracting(GuardTransition::to).isEqualTo(GuardState.OPEN);
          return requests;
        }
      }
    }
    throw new AssertionError("never tripped");
  }

  private void serve(String user, String variant, boolean failed) {
    clock.advance(Duration.ofMillis(10));
    FlagContext decided = FlagContext.builder(ROUTES)
        .put("checkout", new FlagDecision(variant, Source.EVALUATED, "TARGETING_MATCH")).build();
    guard.record(guard.apply(decided, user), new RequestOutcome(failed, Duration.ofMillis(1)).seenBy(user, null));
  }
}
