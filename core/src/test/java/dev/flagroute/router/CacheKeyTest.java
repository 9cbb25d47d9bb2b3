package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestProviders;
import dev.flagroute.support.TestProviders.StringProvider;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.LayeredEvaluationContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cache-key rule: no attribute of a request's evaluation context reaches the provider without
 * being part of the cache key, unless it is declared irrelevant to routing. {@code checkout} is
 * v2 for targeting keys starting with "beta" or plan "pro" (see {@link TestRoutes}).
 */
class CacheKeyTest {
  private static final Map<String, String> NO_HEADERS = Map.of();
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();

  private static EvaluationContext context(String targetingKey, Object... attributes) {
    Map<String, Value> values = new HashMap<>();
    for (int i = 0; i < attributes.length; i += 2) {
      values.put((String) attributes[i], attributes[i + 1] instanceof Value value ? value
          : new Value(attributes[i + 1].toString()));
    }
    return new ImmutableContext(targetingKey, values);
  }

  private static FlagRouter.Builder edge(OpenFeatureFixture openFeature) {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client());
  }

  @Test
  void anUndeclaredAttributeCannotPinAUsersDecision() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature).build();

      assertThat(router.route(NO_HEADERS, GETTER, context("victim", "plan", "pro")).variant("checkout")).isEqualTo("v2");

      assertThat(router.route(NO_HEADERS, GETTER, context("victim")).variant("checkout"))
          .as("the victim's own decision, not the one an attacker's attribute made").isEqualTo("v1");
      assertThat(router.route(NO_HEADERS, GETTER, context("victim", "plan", "free")).variant("checkout")).isEqualTo("v1");
    }
  }

  @Test
  void anUndeclaredAttributeCannotPinTheSharedAnonymousDecision() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature).build();

      assertThat(router.route(NO_HEADERS, GETTER, context(null, "plan", "pro")).variant("checkout")).isEqualTo("v2");

      assertThat(router.route(NO_HEADERS, GETTER, context(null)).variant("checkout")).isEqualTo("v1");
      assertThat(router.route(NO_HEADERS, GETTER, ImmutableContext.EMPTY).variant("checkout")).isEqualTo("v1");
    }
  }

  @Test
  void contextsWithUndeclaredAttributesAreStillCached() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature).build();
      router.route(NO_HEADERS, GETTER, context("user-1", "plan", "pro", "country", "NZ"));
      int evaluations = openFeature.evaluations();

      MutableContext same = new MutableContext("user-1").add("country", "NZ").add("plan", "pro");
      assertThat(router.route(NO_HEADERS, GETTER, same).variant("checkout")).isEqualTo("v2");
      assertThat(openFeature.evaluations()).as("same attributes in another order and class: a hit")
          .isEqualTo(evaluations);
      router.route(NO_HEADERS, GETTER, context("user-1", "plan", "pro", "country", "AU"));
      assertThat(openFeature.evaluations()).as("another value: a miss").isEqualTo(evaluations + 2);
    }
  }

  @Test
  void declaredKeyAttributesAndUndeclaredOnesBothSplitTheEntry() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature).cacheKeyAttributes("country").build();

      assertThat(router.route(NO_HEADERS, GETTER, context("user-1", "country", "NZ", "plan", "pro"))
          .variant("checkout")).isEqualTo("v2");
      assertThat(router.route(NO_HEADERS, GETTER, context("user-1", "country", "NZ")).variant("checkout"))
          .isEqualTo("v1");
      int evaluations = openFeature.evaluations();
      router.route(NO_HEADERS, GETTER, context("user-1", "country", "NZ"));
      router.route(NO_HEADERS, GETTER, context("user-1", "country", "NZ", "plan", "pro"));
      assertThat(openFeature.evaluations()).isEqualTo(evaluations);
    }
  }

  @Test
  void attributesDeclaredIrrelevantToRoutingAreLeftOutOfTheKey() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature).cacheIgnoredAttributes("requestId", "userAgent").build();
      router.route(NO_HEADERS, GETTER, context("beta-1", "requestId", "r1", "userAgent", "curl"));
      int evaluations = openFeature.evaluations();

      assertThat(router.route(NO_HEADERS, GETTER, context("beta-1", "requestId", "r2")).variant("checkout"))
          .isEqualTo("v2");
      assertThat(router.route(NO_HEADERS, GETTER, context("beta-1")).variant("checkout")).isEqualTo("v2");
      assertThat(openFeature.evaluations()).as("requests differing only in ignored attributes share one entry")
          .isEqualTo(evaluations);
    }
  }

  /** The outside testers' reproduction: a rule reads an ignored attribute, and the first value must not stick. */
  @Test
  void anIgnoredAttributeNeverReachesTheProvider() {
    List<EvaluationContext> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    StringProvider recording = new StringProvider((flag, ctx) -> {
      seen.add(ctx);
      Value plan = ctx.getValue("plan");
      return TestProviders.answer(flag.equals("checkout") ? plan != null && plan.asString().equals("enterprise")
          ? "v2" : "v1" : "off");
    });
    for (Duration deadline : new Duration[] {null, Duration.ofSeconds(30)}) {
      seen.clear();
      try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(recording)) {
        FlagRouter.Builder builder = edge(openFeature).cacheIgnoredAttributes("plan", "requestId");
        FlagRouter router = (deadline == null ? builder : builder.deadline(deadline)).build();

        assertThat(router.route(NO_HEADERS, GETTER, context("user-1", "plan", "enterprise", "requestId", "r1",
            "country", "NZ")).variant("checkout")).isEqualTo("v1");
        assertThat(router.route(NO_HEADERS, GETTER, context("user-1", "plan", "free", "requestId", "r2",
            "country", "NZ")).variant("checkout")).isEqualTo("v1");
        assertThat(router.route(NO_HEADERS, GETTER, context("user-2", "plan", "enterprise")).variant("checkout"))
            .isEqualTo("v1");

        assertThat(seen).isNotEmpty().allSatisfy(ctx -> {
          assertThat(ctx.keySet()).doesNotContain("plan", "requestId");
          assertThat(ctx.getTargetingKey()).startsWith("user-");
        });
        assertThat(seen).anySatisfy(ctx -> assertThat(ctx.getValue("country").asString()).isEqualTo("NZ"));
      }
    }
  }

  /** The documented rule: absent and empty targeting keys are separate entries, as the provider may tell them apart. */
  @Test
  void anAbsentAndAnEmptyTargetingKeyAreSeparateEntries() {
    StringProvider byKey = new StringProvider((flag, ctx) -> TestProviders.answer(flag.equals("checkout")
        ? ctx.getTargetingKey() == null ? "v1" : "v2" : "off"));
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(byKey)) {
      FlagRouter router = edge(openFeature).build();

      assertThat(router.route(NO_HEADERS, GETTER, new ImmutableContext()).variant("checkout")).isEqualTo("v1");
      assertThat(router.route(NO_HEADERS, GETTER, new ImmutableContext("")).variant("checkout")).isEqualTo("v2");
      assertThat(router.route(NO_HEADERS, GETTER, context(null, "country", "NZ")).variant("checkout"))
          .isEqualTo("v1");
      assertThat(router.route(NO_HEADERS, GETTER, context("", "country", "NZ")).variant("checkout")).isEqualTo("v2");
      int evaluations = byKey.calls();
      assertThat(router.route(NO_HEADERS, GETTER, new ImmutableContext()).variant("checkout")).isEqualTo("v1");
      assertThat(router.route(NO_HEADERS, GETTER, new ImmutableContext("")).variant("checkout")).isEqualTo("v2");
      assertThat(byKey.calls()).as("both cached, each in its own entry").isEqualTo(evaluations);
    }
  }

  @Test
  void contextsOfOtherClassesAreKeyedOnEveryAttributeToo() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature).build();
      EvaluationContext layered = new LayeredEvaluationContext(ImmutableContext.EMPTY, ImmutableContext.EMPTY,
          new ImmutableContext(Map.of("country", new Value("NZ"))),
          new ImmutableContext("victim", Map.of("plan", new Value("pro"))));

      assertThat(router.route(NO_HEADERS, GETTER, layered).variant("checkout")).isEqualTo("v2");
      EvaluationContext plain = new LayeredEvaluationContext(ImmutableContext.EMPTY, ImmutableContext.EMPTY,
          new ImmutableContext(Map.of("country", new Value("NZ"))), new ImmutableContext("victim"));
      assertThat(router.route(NO_HEADERS, GETTER, plain).variant("checkout")).isEqualTo("v1");
    }
  }

  @Test
  void contextsBeyondTheKeyBoundsAreEvaluatedEveryTime() {
    List<EvaluationContext> unbounded = new ArrayList<>();
    Object[] many = new Object[2 * (DecisionCache.MAX_OTHER_ATTRIBUTES + 1)];
    for (int i = 0; i < many.length; i += 2) {
      many[i] = "a" + i;
      many[i + 1] = "x";
    }
    unbounded.add(context("user-1", many));
    unbounded.add(context("user-1", "note", "n".repeat(DecisionCache.MAX_OTHER_ATTRIBUTE_CHARS)));
    unbounded.add(context("user-1", "profile", new Value(new ImmutableStructure(Map.of("plan", new Value("pro"))))));
    for (EvaluationContext context : unbounded) {
      try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
        FlagRouter router = edge(openFeature).build();

        router.route(NO_HEADERS, GETTER, context);
        router.route(NO_HEADERS, GETTER, context);

        assertThat(openFeature.evaluations()).as("%s", context.keySet()).isEqualTo(4);
      }
    }
  }

  @Test
  void aKeyAttributeCannotAlsoBeIgnored() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      assertThatThrownBy(() -> edge(openFeature).cacheKeyAttributes("plan").cacheIgnoredAttributes("plan").build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("plan");
      assertThatThrownBy(() -> edge(openFeature).cacheIgnoredAttributes(EvaluationContext.TARGETING_KEY))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Many threads, users and plans at once: every answer is what the provider decides for that request. */
  @Test
  void concurrentRequestsNeverSeeADecisionMadeForOtherAttributes() throws Exception {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter router = edge(openFeature).cache(500, Duration.ofMinutes(1)).build();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Integer>> workers = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
          workers.add(pool.submit(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int checked = 0;
            for (int i = 0; i < 5_000; i++) {
              String user = (random.nextInt(5) == 0 ? "beta-" : "user-") + random.nextInt(300);
              int plan = random.nextInt(4);
              EvaluationContext context = plan == 0 ? context(user) : plan == 1 ? context(user, "plan", "pro")
                  : plan == 2 ? context(user, "plan", "free") : context(user, "plan", "pro", "tier", "gold");
              boolean v2 = user.startsWith("beta") || plan == 1 || plan == 3;
              assertThat(router.route(NO_HEADERS, GETTER, context).variant("checkout")).as("%s %s", user, plan)
                  .isEqualTo(v2 ? "v2" : "v1");
              checked++;
            }
            return checked;
          }));
        }
        for (Future<Integer> worker : workers) {
          assertThat(worker.get(2, TimeUnit.MINUTES)).isEqualTo(5_000);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
