package dev.flagroute.router;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.guard.GuardPolicy;
import dev.flagroute.guard.GuardState;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.support.OpenFeatureFixture;
import dev.flagroute.support.RecordingListener;
import dev.flagroute.support.TestRoutes;
import dev.openfeature.sdk.ImmutableContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shadows: a relay recognises mirrored copies, the edge never does, and only shadows carry the marker on. */
class ShadowRoutingTest {
  private static final HeaderGetter<Map<String, String>> GETTER = HeaderGetter.forMap();
  private static final String MARKER = FlagRouter.DEFAULT_SHADOW_HEADER;

  private final RecordingListener listener = new RecordingListener();

  private FlagRouter relay() {
    return FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).listener(listener).build();
  }

  private static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  @ParameterizedTest
  @ValueSource(strings = {"reviews-shadow", "reviews-shadow:9080", "REVIEWS-SHADOW:80",
      "reviews.default.svc.cluster.local-shadow:9080", "10.0.0.7-shadow:8080", "[::1]-shadow:80"})
  void aRelayTakesAnAuthorityEndingInShadowForAMirroredCopy(String authority) {
    FlagContext flags = relay().route(headers("x-flag-checkout", "v2"), GETTER, ImmutableContext.EMPTY, authority);

    assertThat(flags.isShadow()).isTrue();
    assertThat(flags.variant("checkout")).isEqualTo("v2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reviews", "reviews:9080", "shadow", "-shadow", "reviews-shadow.local", "reviews:9080-shadow",
      "reviews-shadowx", "", "[::1]", "[fe80::1-shadow]"})
  void otherAuthoritiesAreNoShadow(String authority) {
    assertThat(relay().route(headers(), GETTER, ImmutableContext.EMPTY, authority).isShadow()).isFalse();
    assertThat(relay().route(headers(), GETTER, ImmutableContext.EMPTY, null).isShadow()).isFalse();
    assertThat(relay().route(headers(), GETTER).isShadow()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "true", "TRUE", " 1\t"})
  void aRelayHonoursTheMarkerHeader(String value) {
    assertThat(relay().route(headers(MARKER, value), GETTER).isShadow()).isTrue();
    assertThat(listener.events()).noneMatch(event -> event.startsWith("dropped"));
  }

  @Test
  void anOddMarkerIsALoggedDropNeverAShadowNorAFailure() {
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put("0", "INVALID_VALUE");
    reasons.put("yes", "INVALID_VALUE");
    reasons.put("1\n", "INVALID_VALUE");
    reasons.put("", "EMPTY_VALUE");
    reasons.put("1,1", "DUPLICATE");
    reasons.put("1".repeat(100_000), "VALUE_TOO_LONG");
    reasons.forEach((value, reason) -> {
      FlagContext flags = relay().route(headers(MARKER, value, "x-flag-checkout", "v2"), GETTER);
      assertThat(flags.isShadow()).as(value).isFalse();
      assertThat(flags.variant("checkout")).isEqualTo("v2");
      assertThat(listener.events()).contains("dropped " + MARKER + " " + reason);
    });
  }

  @Test
  void theEdgeTrustsNeitherAMarkerNorAShadowAuthorityFromAClient() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .listener(listener).reportForeignHeaders(true).build();

      FlagContext flags = edge.route(headers(MARKER, "1"), GETTER, new ImmutableContext("beta-1"), "shop-shadow:80");

      assertThat(flags.isShadow()).isFalse();
      assertThat(flags.variant("checkout")).isEqualTo("v2");
      assertThat(listener.events()).contains("dropped " + MARKER + " UNTRUSTED");
    }
  }

  @Test
  void aCachedDecisionIsNeverHandedOutMarkedAsAShadowNorTheOtherWayRound() {
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).client(openFeature.client())
          .evaluateMissing(true).build();
      ImmutableContext beta = new ImmutableContext("beta-1");

      FlagContext shadow = relay.route(headers(MARKER, "1"), GETTER, beta);
      FlagContext user = relay.route(headers(), GETTER, beta);
      FlagContext shadowAgain = relay.route(headers(), GETTER, beta, "reviews-shadow");

      assertThat(openFeature.evaluations()).as("one evaluation, then the cache").isEqualTo(2);
      assertThat(shadow.isShadow()).isTrue();
      assertThat(user.isShadow()).isFalse();
      assertThat(shadowAgain.isShadow()).isTrue();
      assertThat(user.variants()).isEqualTo(shadow.variants());
      assertThat(user).isNotEqualTo(shadow);
    }
  }

  @Test
  void shadowOutcomesNeverFeedTheRolloutGuard() {
    GuardPolicy policy = GuardPolicy.builder().failureRatio(0.5).minRequests(10).margin(0.1)
        .window(Duration.ofSeconds(30)).build();
    try (OpenFeatureFixture openFeature = OpenFeatureFixture.ready(TestRoutes.provider())) {
      FlagRouter edge = FlagRouter.builder(ROUTES).mode(RoutingMode.EDGE).client(openFeature.client())
          .guard("checkout", policy).build();
      for (int i = 0; i < 20; i++) {
        edge.completed(edge.route(headers(), GETTER, new ImmutableContext("user-" + i)).asShadow(),
            new RequestOutcome(false, Duration.ofMillis(1)).seenBy("user-" + i, null));
        edge.completed(edge.route(headers(), GETTER, new ImmutableContext("beta-" + i)).asShadow(),
            new RequestOutcome(true, Duration.ofMillis(1)).seenBy("beta-" + i, null));
      }
      assertThat(edge.guardStatus()).allMatch(status -> status.state() == GuardState.CLOSED);

      for (int i = 0; i < 20; i++) {
        edge.completed(edge.route(headers(), GETTER, new ImmutableContext("user-" + i)),
            new RequestOutcome(false, Duration.ofMillis(1)).seenBy("user-" + i, null));
        edge.completed(edge.route(headers(), GETTER, new ImmutableContext("beta-" + i)),
            new RequestOutcome(true, Duration.ofMillis(1)).seenBy("beta-" + i, null));
      }
      assertThat(edge.guardStatus()).as("the same outcomes from users trip it")
          .anyMatch(status -> status.state() != GuardState.CLOSED);
    }
  }

  @Test
  void onlyAShadowContextStampsTheMarkerAndAnInboundMarkerIsNeverForwarded() {
    FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).shadowHeader("X-Dark").build();
    FlagContext user = relay.route(headers("x-flag-checkout", "v2"), GETTER);
    FlagContext shadow = relay.route(headers("x-flag-checkout", "v2"), GETTER, null, "reviews-shadow:9080");

    Map<String, String> stamped = new LinkedHashMap<>();
    relay.codec().inject(shadow, stamped, HeaderSetter.forMap());
    assertThat(stamped).containsEntry("x-dark", "1").containsEntry("x-flag-checkout", "v2");
    stamped.clear();
    relay.codec().inject(user, stamped, HeaderSetter.forMap());
    assertThat(stamped).doesNotContainKey("x-dark").containsEntry("x-flag-checkout", "v2");
    assertThat(relay.codec().strips("X-DARK")).isTrue();
    assertThat(relay.codec().owns("x-dark")).isFalse();

  }

  @Test
  void theShadowHeaderMustBeAHeaderNameOutsideTheCodecAndTheOverrideHeader() {
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).shadowHeader("bad header"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shadow header");
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).shadowHeader("x-flag-shadow").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("x-flag-shadow");
    assertThatThrownBy(() -> FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).shadowHeader("x-o")
        .overrideHeader("x-o").build()).isInstanceOf(IllegalStateException.class);
  }
}
