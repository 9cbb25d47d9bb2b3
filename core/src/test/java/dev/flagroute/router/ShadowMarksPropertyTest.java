package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderLimits;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Parsing a mirrored copy's authority and the shadow marker is total and exact on hostile input. */
class ShadowMarksPropertyTest {
  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings().withChars("-shadow:0129[]. \t,\r\nSHADOW").ofMaxLength(40),
        Arbitraries.strings().all().ofMinLength(1000).ofMaxLength(5000));
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.strings().withChars("abcxyz0189.-_").ofMinLength(1).ofMaxLength(60);
  }

  @Property
  void anyAuthorityParsesWithoutFailingAndOnlyAShadowSuffixCounts(@ForAll("hostile") String authority) {
    boolean shadow = ShadowMarks.shadowAuthority(authority);

    String host = authority.replaceFirst("(?s)^(.*):[^:\\]]*$", "$1");
    assertThat(shadow).as(authority).isEqualTo(host.length() > ShadowMarks.SUFFIX.length()
        && host.toLowerCase(Locale.ROOT).endsWith(ShadowMarks.SUFFIX));
  }

  @Property
  void everyHostEnvoyMirrorsToIsAShadowWithOrWithoutAPort(@ForAll("hosts") String host,
      @ForAll @IntRange(min = 0, max = 65535) int port) {
    String mirrored = host + ShadowMarks.SUFFIX;

    assertThat(ShadowMarks.shadowAuthority(mirrored)).isTrue();
    assertThat(ShadowMarks.shadowAuthority(mirrored + ":" + port)).isTrue();
    assertThat(ShadowMarks.shadowAuthority(mirrored.toUpperCase(Locale.ROOT) + ":" + port)).isTrue();
    assertThat(ShadowMarks.shadowAuthority(host + ":" + port)).isEqualTo(ShadowMarks.shadowAuthority(host));
    assertThat(ShadowMarks.shadowAuthority("[" + host + "]" + ShadowMarks.SUFFIX + ":" + port)).isTrue();
    assertThat(ShadowMarks.shadowAuthority("[" + host + ":" + ShadowMarks.SUFFIX + "]")).isFalse();
  }

  @Property
  void onlyOneOrTrueMarkAShadowAndEveryOtherValueHasAReason(@ForAll("hostile") String value) {
    DropReason problem = ShadowMarks.markerProblem(value, HeaderLimits.DEFAULT);

    String trimmed = value.replaceAll("^[ \\t]+|[ \\t]+$", "");
    boolean marks = value.length() <= HeaderLimits.DEFAULT.maxValueLength()
        && (trimmed.equals("1") || trimmed.equalsIgnoreCase("true"));
    assertThat(problem == null).as(value).isEqualTo(marks);
  }

  @Property
  void theMarkersWePassAreAccepted(@ForAll("blanks") String before, @ForAll("blanks") String after,
      @ForAll boolean word) {
    assertThat(ShadowMarks.markerProblem(before + (word ? "True" : "1") + after, HeaderLimits.DEFAULT)).isNull();
  }

  @Provide
  Arbitrary<String> blanks() {
    return Arbitraries.strings().withChars(" \t").ofMaxLength(5);
  }
}
