package dev.flagroute.override;

import static dev.flagroute.support.TestRoutes.ROUTES;
import static dev.flagroute.support.TestRoutes.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class OverrideTokensPropertiesTest {
  private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

  @Property
  void anyAlterationOfAValidTokenIsRejected(@ForAll("grants") Map<String, String> variants,
      @ForAll("edits") Edit edit) {
    MutableClock clock = new MutableClock(START);
    OverrideTokens tokens = OverrideTokens.builder(SECRET).clock(clock).build();
    String token = tokens.mint(variants, Duration.ofMinutes(10));
    String altered = edit.apply(token);
    Assume.that(!altered.equals(token));

    assertThat(tokens.verify(altered, ROUTES)).isInstanceOf(OverrideResult.Rejected.class);
  }

  @Property
  void tokensFromAnotherSecretAreAlwaysForged(@ForAll("grants") Map<String, String> variants,
      @ForAll @StringLength(min = 32, max = 64) String otherSecret) {
    Assume.that(!otherSecret.strip().equals(SECRET) && otherSecret.strip().getBytes(StandardCharsets.UTF_8).length >= 32);
    MutableClock clock = new MutableClock(START);
    OverrideTokens other;
    try {
      other = OverrideTokens.builder(otherSecret).clock(clock).build();
    } catch (IllegalArgumentException patternSecret) {
      Assume.that(false);
      return;
    }
    String forged = other.mint(variants, Duration.ofMinutes(10));

    assertThat(OverrideTokens.builder(SECRET).clock(clock).build().verify(forged, ROUTES))
        .isEqualTo(new OverrideResult.Rejected(OverrideRejection.FORGED));
  }

  @Property
  void arbitraryInputIsRejectedWithoutThrowing(@ForAll @StringLength(max = 3000) String input) {
    OverrideTokens tokens = OverrideTokens.builder(SECRET).build();

    assertThat(tokens.verify(input, ROUTES)).isInstanceOf(OverrideResult.Rejected.class);
    assertThat(tokens.verify("fr2:" + input, ROUTES)).isInstanceOf(OverrideResult.Rejected.class);
    assertThat(tokens.verify("fr2:" + input, ROUTES, input)).isInstanceOf(OverrideResult.Rejected.class);
  }

  @Property
  void validTokensForceExactlyTheirFlagsUntilExpiry(@ForAll("grants") Map<String, String> variants,
      @ForAll @IntRange(min = 1, max = 86_400) int ttlSeconds, @ForAll @IntRange(min = 0, max = 200_000) int elapsed) {
    MutableClock clock = new MutableClock(START);
    OverrideTokens tokens = OverrideTokens.builder(SECRET).clock(clock).build();
    String token = tokens.mint(variants, Duration.ofSeconds(ttlSeconds));
    clock.advance(Duration.ofSeconds(elapsed));

    OverrideResult result = tokens.verify(token, ROUTES);
    if (elapsed < ttlSeconds) {
      assertThat(result).isEqualTo(new OverrideResult.Accepted(variants, START.plusSeconds(ttlSeconds)));
    } else {
      assertThat(result).isEqualTo(new OverrideResult.Rejected(OverrideRejection.EXPIRED));
    }
  }

  @Property
  void aTokenBoundToAnySubjectIsAcceptedForThatSubjectAlone(@ForAll("grants") Map<String, String> variants,
      @ForAll @StringLength(min = 1, max = 256) String subject, @ForAll @StringLength(max = 256) String other) {
    Assume.that(!other.equals(subject));
    MutableClock clock = new MutableClock(START);
    OverrideTokens tokens = OverrideTokens.builder(SECRET).clock(clock).build();
    String token = tokens.mint(variants, Duration.ofMinutes(10), subject, null);

    assertThat(tokens.verify(token, ROUTES, subject)).isEqualTo(new OverrideResult.Accepted(variants,
        START.plusSeconds(600)));
    assertThat(tokens.verify(token, ROUTES, other)).isEqualTo(new OverrideResult.Rejected(OverrideRejection.WRONG_SUBJECT));
  }

  @Provide
  Arbitrary<Map<String, String>> grants() {
    Arbitrary<String> checkout = Arbitraries.of("v1", "v2").injectNull(0.3);
    Arbitrary<String> search = Arbitraries.of("off", "on").injectNull(0.3);
    return Combinators.combine(checkout, search).as((c, s) -> {
      Map<String, String> variants = new LinkedHashMap<>();
      if (c != null) {
        variants.put("checkout", c);
      }
      if (s != null || c == null) {
        variants.put("search", s == null ? "on" : s);
      }
      return variants;
    });
  }

  @Provide
  Arbitrary<Edit> edits() {
    Arbitrary<Character> chars = Arbitraries.chars().range('!', '~');
    Arbitrary<Integer> positions = Arbitraries.integers().between(0, 10_000);
    return Arbitraries.oneOf(
        Combinators.combine(positions, chars).as(Edit::replace),
        Combinators.combine(positions, chars).as(Edit::insert),
        positions.map(Edit::delete),
        positions.map(Edit::truncate));
  }

  /** One change to a token, at a position taken modulo its length. */
  interface Edit {
    String apply(String token);

    static Edit replace(int position, char c) {
      return token -> {
        int i = position % token.length();
        return token.substring(0, i) + c + token.substring(i + 1);
      };
    }

    static Edit insert(int position, char c) {
      return token -> {
        int i = position % (token.length() + 1);
        return token.substring(0, i) + c + token.substring(i);
      };
    }

    static Edit delete(int position) {
      return token -> {
        int i = position % token.length();
        return token.substring(0, i) + token.substring(i + 1);
      };
    }

    static Edit truncate(int position) {
      return token -> token.substring(0, position % token.length());
    }
  }
}
