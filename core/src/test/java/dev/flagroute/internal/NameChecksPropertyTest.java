package dev.flagroute.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The relay's hand-written checks of flag keys, variants and header names agree with the rules as
 * written: the {@link RouteNames} patterns, and {@link String#equalsIgnoreCase} restricted to ASCII
 * letters, on hostile strings (near-misses, Unicode that folds onto ASCII, control chars, lengths
 * around the 63-char bound).
 */
class NameChecksPropertyTest {
  @Property(tries = 3000)
  void variantAndKeyChecksAgreeWithThePatterns(@ForAll("names") String s) {
    assertThat(RouteNames.isVariant(s)).isEqualTo(s.length() <= 63 && RouteNames.VARIANT.matcher(s).matches());
    assertThat(RouteNames.isFlagKey(s)).isEqualTo(RouteNames.FLAG_KEY.matcher(s).matches());
  }

  @Property(tries = 3000)
  void namesAreTheSameInAsciiCaseOnly(@ForAll("headerNames") String a, @ForAll("headerNames") String b) {
    boolean expected = fold(a).equals(fold(b));
    assertThat(AsciiNames.same(a, b)).isEqualTo(expected);
    assertThat(AsciiNames.startsWith(a + "-rest", b)).isEqualTo(fold(a + "-rest").startsWith(fold(b)));
    assertThat(AsciiNames.lowercase(a)).isEqualTo(fold(a));
    if (a.chars().allMatch(c -> c < 128) && b.chars().allMatch(c -> c < 128)) {
      assertThat(AsciiNames.same(a, b)).isEqualTo(a.equalsIgnoreCase(b));
    }
  }

  /** Each of the 26 uppercase ASCII letters replaced by its lowercase letter, char by char. */
  private static String fold(String s) {
    StringBuilder folded = new StringBuilder();
    for (char c : s.toCharArray()) {
      int upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".indexOf(c);
      folded.append(upper < 0 ? c : "abcdefghijklmnopqrstuvwxyz".charAt(upper));
    }
    return folded.toString();
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("aZ09.-_ \u212a\u017f@[`{/:").ofMaxLength(70),
        Arbitraries.strings().alpha().numeric().withChars(".-_").ofMinLength(60).ofMaxLength(66),
        Arbitraries.strings().all().ofMaxLength(8));
  }

  @Provide
  Arbitrary<String> headerNames() {
    Arbitrary<String> near = Arbitraries.of("x-flag-k", "X-FLAG-K", "x-flag-\u212a", "x-flag-K", "baggage", "BAGGAGE",
        "x-flag\u017f", "x-flags", "X-Flags", "x-flag[", "x-flag{", "x-fla@", "x-fla`", "");
    return Arbitraries.oneOf(near, Arbitraries.strings().withChars("aAzZ@[`{\u212ak-").ofMaxLength(4));
  }
}
