package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static dev.flagroute.support.TestRoutes.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.override.OverrideRejection;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.support.MutableClock;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OverrideRoutingTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final EvaluationContext USER = new ImmutableContext("user-1");

  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final OverrideTokens tokens = OverrideTokens.builder(SECRET).clock(clock).build();
  private final RoutingCounters counters = new RoutingCounters();
  private final OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider());
  private final FlagRouter router = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
      .overrides(tokens).listener(counters).reportForeignHeaders(true).build();

  @AfterEach
  void shutDown() {
    openFeature.close();
  }

  private static Map<String, String> headers(String... nameValues) {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      headers.put(nameValues[i], nameValues[i + 1]);
    }
    return headers;
  }

  @Test
  void aValidTokenForcesItsFlagsAndOnlyThem() {
    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));

    FlagContext flags = router.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, USER);

    assertThat(flags.decisions()).containsExactly(
        entry("checkout", new FlagDecision("v2", Source.OVERRIDE, FlagRouter.OVERRIDE_REASON)),
        entry("search", new FlagDecision("on", Source.EVALUATED, "STATIC")));
    assertThat(counters.overridesAccepted()).isEqualTo(1);
  }

  /** A token bound to a subject forces its flags for that targeting key only, not for 1,000 others. */
  @Test
  void aTokenBoundToASubjectForcesItsFlagsForThatUserOnly() {
    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), "user-1", null);

    assertThat(router.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, USER).decision("checkout"))
        .isEqualTo(new FlagDecision("v2", Source.OVERRIDE, FlagRouter.OVERRIDE_REASON));
    for (int user = 2; user < 1_002; user++) {
      FlagContext flags = router.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER,
          new ImmutableContext("user-" + user));
      assertThat(flags.decision("checkout").source()).isEqualTo(Source.EVALUATED);
    }
    assertThat(router.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, ImmutableContext.EMPTY)
        .decision("checkout").source()).isEqualTo(Source.EVALUATED);
    assertThat(counters.overridesAccepted()).isEqualTo(1);
    assertThat(counters.overridesRejected(OverrideRejection.WRONG_SUBJECT)).isEqualTo(1_001);
  }

  @Test
  void aTokenBoundToAnotherAudienceForcesNothing() {
    OverrideTokens frontendTokens = OverrideTokens.builder(SECRET).clock(clock).audience("frontend").build();
    FlagRouter frontend = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
        .overrides(frontendTokens).listener(counters).reportForeignHeaders(true).build();

    String forFrontend = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), null, "frontend");
    String forAdmin = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), null, "admin");

    assertThat(frontend.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, forFrontend), GETTER, USER).variant("checkout"))
        .isEqualTo("v2");
    assertThat(frontend.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, forAdmin), GETTER, USER).variant("checkout"))
        .isEqualTo("v1");
    assertThat(counters.overridesRejected(OverrideRejection.WRONG_AUDIENCE)).isEqualTo(1);
  }

  @Test
  void anOverrideDoesNotLeakIntoTheCachedDecisionOfTheSameUser() {
    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));
    router.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, USER);

    assertThat(router.route(headers(), GETTER, USER).decision("checkout"))
        .isEqualTo(new FlagDecision("v1", Source.EVALUATED, "DEFAULT"));
  }

  @Test
  void rejectedTokensForceNothingAndAreCountedByReason() {
    FlagContext plain = router.route(headers(), GETTER, USER);
    String expiring = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(1));
    String forged = OverrideTokens.builder(SECRET + "!").clock(clock).build().mint(Map.of("checkout", "v2"), Duration.ofMinutes(1));
    String otherFlag = tokens.mint(Map.of("payments", "v2"), Duration.ofMinutes(5));
    clock.advance(Duration.ofSeconds(30));
    String altered = tokens.mint(Map.of("checkout", "v1"), Duration.ofMinutes(1)).replace("checkout=v1", "checkout=v2");
    clock.advance(Duration.ofSeconds(31));

    for (String token : new String[] {expiring, forged, otherFlag, altered, "garbage", "x".repeat(5000)}) {
      assertThat(router.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, USER)).as(token).isEqualTo(plain);
    }
    assertThat(counters.overridesAccepted()).isZero();
    assertThat(counters.overridesRejected(OverrideRejection.EXPIRED)).isEqualTo(1);
    assertThat(counters.overridesRejected(OverrideRejection.FORGED)).isEqualTo(2);
    assertThat(counters.overridesRejected(OverrideRejection.UNKNOWN_FLAG)).isEqualTo(1);
    assertThat(counters.overridesRejected(OverrideRejection.MALFORMED)).isEqualTo(1);
    assertThat(counters.overridesRejected(OverrideRejection.TOO_LONG)).isEqualTo(1);
  }

  @Test
  void aBareFlagHeaderNeverForcesAnythingEvenBesideAValidToken() {
    String searchOnly = tokens.mint(Map.of("search", "off"), Duration.ofMinutes(15));

    FlagContext flags = router.route(
        headers("x-flag-checkout", "v2", FlagRouter.DEFAULT_OVERRIDE_HEADER, searchOnly), GETTER, USER);

    assertThat(flags.variants()).containsExactly(entry("checkout", "v1"), entry("search", "off"));
    assertThat(flags.decision("search").source()).isEqualTo(Source.OVERRIDE);
    assertThat(counters.dropped(DropReason.UNTRUSTED)).isEqualTo(1);
  }

  @Test
  void theOverrideHeaderNameIsConfigurable() {
    FlagRouter custom = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
        .overrides(tokens).overrideHeader("X-Tester-Token").build();
    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));

    assertThat(custom.route(headers("x-tester-token", token), GETTER, USER).variant("checkout")).isEqualTo("v2");
    assertThat(custom.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, USER).variant("checkout"))
        .isEqualTo("v1");
  }

  @Test
  void withoutOverridesConfiguredATokenIsJustAnotherHeader() {
    FlagRouter plain = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client()).listener(counters).reportForeignHeaders(true).build();
    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));

    assertThat(plain.route(headers(FlagRouter.DEFAULT_OVERRIDE_HEADER, token), GETTER, USER).variant("checkout"))
        .isEqualTo("v1");
    assertThat(counters.overridesAccepted() + counters.overridesRejected()).isZero();
  }
}
