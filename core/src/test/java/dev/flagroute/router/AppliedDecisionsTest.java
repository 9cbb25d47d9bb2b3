package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.routes.FlagRoutesFile;
import dev.flagroute.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What the ramps made of a cached decision is remembered per user, and never outlives a change:
 * the same decided context (as the decision cache hands out on every hit) follows each step and
 * each user's own bucket, with or without the table.
 */
class AppliedDecisionsTest {
  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
  private static final FlagRoutes ROUTES = FlagRoutesFile.parse("""
      routes:
        - flag: checkout
          service: reviews
          default: v1
          variants:
            v1: v1
            v2: {version: v2, ramp: {steps: [10, 50, 100], interval: 10m, start: '2026-01-05T09:00:00Z'}}
      """, "routes.yaml");
  private static final List<String> USERS = IntStream.range(0, 500).mapToObj(i -> "user-" + i).toList();

  private final MutableClock clock = new MutableClock(START.plusSeconds(60));
  private final FlagContext decided =
      FlagContext.builder(ROUTES).put("checkout", new FlagDecision("v2", Source.EVALUATED, "STATIC")).build();

  @Test
  void aRememberedAnswerFollowsEveryStepAndEveryUsersBucket() {
    for (long cacheSize : new long[] {FlagRouter.DEFAULT_CACHE_SIZE, 1, 0}) {
      MutableClock at = new MutableClock(START.plusSeconds(60));
      Rollouts remembering = Rollouts.of(ROUTES, Map.of(), at, v -> { }, r -> { }, cacheSize);
      List<String> tenPercent = onVariant(remembering);
      assertThat(onVariant(remembering)).as("asked again, cache size %d", cacheSize).isEqualTo(tenPercent);
      assertThat(tenPercent).as("cache size %d", cacheSize).isEqualTo(onVariant(fresh(at)))
          .hasSizeBetween(USERS.size() * 5 / 100, USERS.size() * 15 / 100);

      at.advance(Duration.ofMinutes(10));
      List<String> half = onVariant(remembering);
      assertThat(half).isEqualTo(onVariant(fresh(at))).containsAll(tenPercent)
          .hasSizeBetween(USERS.size() * 40 / 100, USERS.size() * 60 / 100);

      at.advance(Duration.ofMinutes(10));
      assertThat(onVariant(remembering)).isEqualTo(USERS);
    }
  }

  @Test
  void aUserOutsideTheShareGetsTheDefaultWithTheRampAsReason() {
    Rollouts rollouts = Rollouts.of(ROUTES, Map.of(), clock, v -> { }, r -> { });
    String outside = USERS.stream().filter(user -> !onVariant(rollouts).contains(user)).findFirst().orElseThrow();
    for (int i = 0; i < 3; i++) {
      assertThat(rollouts.apply(decided, outside).decision("checkout"))
          .isEqualTo(new FlagDecision("v1", Source.DEFAULT, FlagDecision.RAMP));
      assertThat(rollouts.apply(decided, null).variant("checkout")).isEqualTo("v1");
    }
  }

  private Rollouts fresh(MutableClock at) {
    return Rollouts.of(ROUTES, Map.of(), at, v -> { }, r -> { }, 0);
  }

  /** The users who get v2 from the same decided context, in order. */
  private List<String> onVariant(Rollouts rollouts) {
    List<String> users = new ArrayList<>();
    for (String user : USERS) {
      if (rollouts.apply(decided, user).variant("checkout").equals("v2")) {
        users.add(user);
      }
    }
    return users;
  }
}
