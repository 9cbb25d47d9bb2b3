package dev.flagroute.mesh.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import dev.flagroute.internal.Re2Syntax;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The one escaping helper: a quoted literal matches exactly itself in RE2 (RE2/J, as Envoy) and
 * in Java, and a character escaped for a class stands for itself there too.
 */
class Re2QuotePropertyTest {
  @Property(tries = 500)
  void aQuotedLiteralMatchesExactlyItself(@ForAll("literals") String literal, @ForAll("literals") String other) {
    String quoted = Re2.quote(literal);

    assertThat(Pattern.compile(quoted).matches(literal)).isTrue();
    assertThat(java.util.regex.Pattern.compile(quoted).matcher(literal).matches()).isTrue();
    assertThat(Pattern.compile(quoted).matches(other)).isEqualTo(other.equals(literal));
  }

  @Property(tries = 300)
  void aCharacterEscapedForAClassStandsForItself(@ForAll("characters") char c, @ForAll("characters") char other) {
    String negated = "[^," + Re2Syntax.inClass(c) + "]";

    assertThat(Pattern.compile(negated).matches(String.valueOf(other))).isEqualTo(other != c && other != ',');
    assertThat(java.util.regex.Pattern.compile(negated).matcher(String.valueOf(other)).matches())
        .isEqualTo(other != c && other != ',');
  }

  @Provide
  Arbitrary<String> literals() {
    return Arbitraries.oneOf(Arbitraries.strings().withChars("\\.+*?()|[]{}^$-&~#!%'`_abc09=;, ").ofMaxLength(8),
        Arbitraries.strings().ascii().ofMaxLength(8));
  }

  @Provide
  Arbitrary<Character> characters() {
    return Arbitraries.chars().range('!', '~');
  }
}
