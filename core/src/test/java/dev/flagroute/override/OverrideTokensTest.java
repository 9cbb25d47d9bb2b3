package dev.flagroute.override;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static dev.flagroute.support.TestRoutes.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.support.MutableClock;
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

    assertThat(token).startsWith("fr1:" + Instant.parse("2025-06-01T12:15:00Z").getEpochSecond() + ":checkout=v2,search=on:");
    assertThat(tokens.verify(token, ROUTES))
        .isEqualTo(new OverrideResult.Accepted(variants, Instant.parse("2025-06-01T12:15:00Z")));

    clock.advance(Duration.ofMinutes(15).minusSeconds(1));
    assertThat(tokens.verify(token, ROUTES)).isInstanceOf(OverrideResult.Accepted.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.verify(token, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.EXPIRED));
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
    for (String input : new String[] {"", "fr1", "fr1:", "fr1:::", "fr2:1:checkout=v2:abc", "checkout=v2",
        "fr1:12:checkout=v2:sig with space", "fr1:1:checkout=v2:ü", ":::::"}) {
      assertThat(tokens.verify(input, ROUTES)).as(input).isInstanceOf(OverrideResult.Rejected.class);
    }
    assertThat(tokens.verify(null, ROUTES)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.MALFORMED));
    assertThat(tokens.verify("fr1:" + "9".repeat(OverrideTokens.MAX_TOKEN_LENGTH), ROUTES))
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
