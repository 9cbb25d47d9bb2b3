package dev.flagroute.override;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static dev.flagroute.support.TestRoutes.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class OverrideTokensTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final OverrideTokens tokens = OverrideTokens.builder(SECRET).clock(clock).build();

  @Test
  void aMintedTokenIsAcceptedWithItsVariantsUntilItExpires() {
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("checkout", "v2");
    variants.put("search", "on");
    String token = tokens.mint(variants, Duration.ofMinutes(15));

    assertThat(token).startsWith("fr2:" + Instant.parse("2025-06-01T12:15:00Z").getEpochSecond() + ":checkout=v2,search=on:::");
    assertThat(tokens.verify(token, ROUTES))
        .isEqualTo(new OverrideResult.Accepted(variants, Instant.parse("2025-06-01T12:15:00Z")));

    clock.advance(Duration.ofMinutes(15).minusSeconds(1));
    assertThat(tokens.verify(token, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.verify(token, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.EXPIRED));
  }

  /** An unbound token is a bearer token: whoever holds it forces its flags, for any user. */
  @Test
  void anUnboundTokenForcesItsFlagsForEveryUser() {
    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));

    for (int user = 0; user < 1_000; user++) {
      assertThat(tokens.verify(token, ROUTES, "user-" + user)).isInstanceOf(OverrideResult.Accepted.class);
    }
    assertThat(tokens.verify(token, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
  }

  @Test
  void aTokenBoundToASubjectForcesItsFlagsForThatTargetingKeyOnly() {
    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), "alice", null);

    assertThat(token).startsWith("fr2:");
    assertThat(tokens.verify(token, ROUTES, "alice"))
        .isEqualTo(new OverrideResult.Accepted(Map.of("checkout", "v2"), Instant.parse("2025-06-01T12:15:00Z")));
    for (int user = 0; user < 1_000; user++) {
      assertThat(tokens.verify(token, ROUTES, "user-" + user))
          .isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_SUBJECT));
    }
    assertThat(tokens.verify(token, ROUTES, "Alice")).isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_SUBJECT));
    assertThat(tokens.verify(token, ROUTES, null)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_SUBJECT));
    assertThat(tokens.verify(token, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_SUBJECT));
  }

  @Test
  void aTokenBoundToAnAudienceIsAcceptedByThatServiceOnly() {
    OverrideTokens frontend = OverrideTokens.builder(SECRET).clock(clock).audience("frontend").build();
    OverrideTokens admin = OverrideTokens.builder(SECRET).clock(clock).audience("admin.shop").build();
    String bound = frontend.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), null, "frontend");
    String unbound = frontend.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));

    assertThat(frontend.verify(bound, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
    assertThat(admin.verify(bound, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_AUDIENCE));
    assertThat(tokens.verify(bound, ROUTES)).as("a verifier without an audience cannot tell")
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_AUDIENCE));
    assertThat(tokens.verify(unbound, ROUTES)).as("an edge without an audience").isInstanceOf(
        OverrideResult.Accepted.class);
  }

  /** The outside testers' finding: an edge with an audience accepted every unbound token. */
  @Test
  void anEdgeWithAnAudienceRefusesUnboundTokensUnlessToldToAcceptThem() {
    OverrideTokens frontend = OverrideTokens.builder(SECRET).clock(clock).audience("frontend").build();
    OverrideTokens lenient = OverrideTokens.builder(SECRET).clock(clock).audience("frontend").acceptUnbound(true)
        .build();
    String unbound = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15));
    String subjectOnly = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), "alice", null);
    String bound = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), null, "frontend");

    for (int i = 0; i < 1000; i++) {
      assertThat(frontend.verify(unbound, ROUTES, "user-" + i))
          .isEqualTo(new OverrideResult.Rejected(OverrideRejection.UNBOUND));
    }
    assertThat(frontend.verify(subjectOnly, ROUTES, "alice")).as("bound to a subject, not to the audience")
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.UNBOUND));
    assertThat(frontend.verify(bound, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
    assertThat(lenient.verify(unbound, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
    assertThat(lenient.verify(bound, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
    assertThat(lenient.verify(tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(15), null, "admin"), ROUTES))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_AUDIENCE));
  }

  @Test
  void aTokenBoundToBothNeedsBoth() {
    OverrideTokens frontend = OverrideTokens.builder(SECRET).clock(clock).audience("frontend").build();
    String token = tokens.mint(Map.of("search", "off"), Duration.ofMinutes(5), "user:7 \u00e9", "frontend");

    assertThat(frontend.verify(token, ROUTES, "user:7 \u00e9")).isInstanceOf(OverrideResult.Accepted.class);
    assertThat(frontend.verify(token, ROUTES, "user:8 \u00e9"))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_SUBJECT));
    assertThat(tokens.verify(token, ROUTES, "user:7 \u00e9"))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_AUDIENCE));
  }

  @Test
  void changingTheSubjectOrAudienceBreaksTheSignature() {
    OverrideTokens frontend = OverrideTokens.builder(SECRET).clock(clock).audience("frontend").build();
    String mine = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5), "alice", "admin");
    String[] fields = mine.split(":");
    String theirs = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(5), "bob", "frontend");
    String[] other = theirs.split(":");

    String resubjected = String.join(":", fields[0], fields[1], fields[2], other[3], fields[4], fields[5]);
    String readdressed = String.join(":", fields[0], fields[1], fields[2], fields[3], "frontend", fields[5]);
    String unbound = String.join(":", fields[0], fields[1], fields[2], "", "", fields[5]);
    assertThat(tokens.verify(resubjected, ROUTES, "bob")).isEqualTo(new OverrideResult.Rejected(OverrideRejection.FORGED));
    assertThat(frontend.verify(readdressed, ROUTES, "alice")).isEqualTo(new OverrideResult.Rejected(OverrideRejection.FORGED));
    assertThat(tokens.verify(unbound, ROUTES, "alice")).isEqualTo(new OverrideResult.Rejected(OverrideRejection.FORGED));
  }

  @Test
  void firstVersionTokensAreNoLongerAccepted() throws Exception {
    String signed = "fr1:" + clock.instant().plusSeconds(300).getEpochSecond() + ":checkout=v2";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String token = signed + ":" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));

    assertThat(tokens.verify(token, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.MALFORMED));
  }

  @Test
  void mintingRefusesBadSubjectsAndAudiences() {
    assertThatThrownBy(() -> tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(1), "", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
    assertThatThrownBy(() -> tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(1), "u".repeat(257), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
    assertThatThrownBy(() -> tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(1), null, "Front End"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
    assertThatThrownBy(() -> OverrideTokens.builder(SECRET).audience("not a service"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTokenSignedWithAnotherSecretIsForged() {
    String token = OverrideTokens.builder(SECRET + "-other").clock(clock).build()
        .mint(Map.of("checkout", "v2"), Duration.ofMinutes(5));

    assertThat(tokens.verify(token, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.FORGED));
  }

  @Test
  void changingWhatATokenForcesBreaksItsSignature() {
    String token = tokens.mint(Map.of("checkout", "v1"), Duration.ofMinutes(5));

    assertThat(tokens.verify(token.replace("checkout=v1", "checkout=v2"), ROUTES))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.FORGED));
    String later = token.replaceFirst(":(\\d+):", ":9" + "$1" + ":");
    assertThat(tokens.verify(later, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.FORGED));
  }

  @Test
  void aTokenNamingAFlagOrVariantTheRoutesDoNotHaveIsRejected() {
    assertThat(tokens.verify(tokens.mint(Map.of("payments", "v2"), Duration.ofMinutes(5)), ROUTES))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.UNKNOWN_FLAG));
    assertThat(tokens.verify(tokens.mint(Map.of("CHECKOUT", "v2"), Duration.ofMinutes(5)), ROUTES))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.UNKNOWN_FLAG));
    assertThat(tokens.verify(tokens.mint(Map.of("checkout", "v3"), Duration.ofMinutes(5)), ROUTES))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.UNKNOWN_VARIANT));
  }

  @Test
  void malformedAndOversizedInputIsRejectedWithoutThrowing() {
    for (String input : new String[] {"", "fr1", "fr1:", "fr1:::", "fr2:1:checkout=v2:abc", "fr2:1:checkout=v2::::abc",
        "fr2:::::", "fr3:1:checkout=v2:::abc", "checkout=v2",
        "fr1:12:checkout=v2:sig with space", "fr1:1:checkout=v2:ü", ":::::"}) {
      assertThat(tokens.verify(input, ROUTES)).as(input).isInstanceOf(OverrideResult.Rejected.class);
    }
    assertThat(tokens.verify(null, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.MALFORMED));
    assertThat(tokens.verify("fr2:" + "9".repeat(OverrideTokens.MAX_TOKEN_LENGTH), ROUTES))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.TOO_LONG));
  }

  @Test
  void aTokenLivingLongerThanTheVerifiersMaximumIsRejected() {
    OverrideTokens generous = OverrideTokens.builder(SECRET).clock(clock).maxTtl(Duration.ofDays(30)).build();
    String token = generous.mint(Map.of("checkout", "v2"), Duration.ofDays(7));

    assertThat(generous.verify(token, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
    assertThat(tokens.verify(token, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.TOO_LONG_LIVED));
  }

  @Test
  void secretsShorterThan32BytesAreRefusedAndSurroundingWhitespaceIsIgnored() {
    assertThatThrownBy(() -> OverrideTokens.builder("too-short-secret"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("too-short-secret").doesNotContain("16"));
    assertThatThrownBy(() -> OverrideTokens.builder("  " + "x".repeat(31) + "\n"))
        .isInstanceOf(IllegalArgumentException.class);

    String token = tokens.mint(Map.of("checkout", "v2"), Duration.ofMinutes(1));
    OverrideTokens fromFile = OverrideTokens.builder(SECRET + "\n").clock(clock).build();
    assertThat(fromFile.verify(token, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
  }

  @Test
  void lowEntropySecretsAreRefusedWithoutShowingThemOrTheirLength() {
    List<String> patterns = List.of("a".repeat(32), "ab".repeat(16), "abcdefghijklmnopqrstuvwxyz012345",
        "ZYXWVUTSRQPONMLKJIHGFEDCBA987654", "0123456789abcdef".repeat(2), "password".repeat(5), "acegikmoqsuwy".repeat(3),
        "0123456789abcdef0123456789abcdef-test-secret", "x".repeat(200), "letmein!".repeat(4) + "abcdefghijkl");
    Set<String> messages = new HashSet<>();
    for (String secret : patterns) {
      assertThatThrownBy(() -> OverrideTokens.builder(secret)).as(secret)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pattern")
          .hasMessageContaining("openssl rand -base64 32")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(0, 8)))
          .satisfies(e -> messages.add(e.getMessage()));
    }
    assertThat(messages).as("one message for every refused secret: it tells nothing about any").hasSize(1);
  }

  @Test
  void randomSecretsAreAccepted() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      OverrideTokens.builder(Base64.getEncoder().encodeToString(bytes));
      OverrideTokens.builder(HexFormat.of().formatHex(bytes, 0, 16));
    }
    OverrideTokens.builder("a-test-override-secret-of-32-bytes-or-more");
    OverrideTokens.builder("correct horse battery staple on a bright morning");
  }

  @Test
  void mintingRefusesBadNamesAndLifetimes() {
    assertThatThrownBy(() -> tokens.mint(Map.of(), Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.mint(Map.of("check:out", "v2"), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.mint(Map.of("checkout", "v2,search=on"), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.mint(Map.of("checkout", "v2"), Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.mint(Map.of("checkout", "v2"), Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT24H");
  }
}
