package dev.flagroute.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The dashboard's JSON writer: whatever it is given, Jackson reads back the same values (lone surrogates as U+FFFD). */
class JsonPropertiesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Property
  void anyStringReadsBackUnchanged(@ForAll("hostile") String text) {
    String expected = wellFormed(text);
    assertThat(JSON.readValue(Json.write(text), String.class)).isEqualTo(expected);
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(text, List.of(text, 1, 2.5, true));
    map.put("nested", Map.of("k", text));
    Map<String, Object> read = new LinkedHashMap<>();
    read.put(expected, List.of(expected, 1, 2.5, true));
    read.put("nested", Map.of("k", expected));
    assertThat(JSON.readValue(Json.write(map), Map.class)).isEqualTo(read);
  }

  /** {@code text} with each lone surrogate replaced by U+FFFD. */
  private static String wellFormed(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\ufffd' : c);
      }
    }
    return out.toString();
  }

  @Property
  void anyFiniteNumberReadsBackUnchanged(@ForAll double number, @ForAll long integer) {
    Assume.that(Double.isFinite(number));
    assertThat(JSON.readValue(Json.write(number), Double.class)).isEqualTo(number);
    assertThat(JSON.readValue(Json.write(integer), Long.class)).isEqualTo(integer);
  }

  @Test
  void refusesWhatJsonCannotHold() {
    assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().withChars("\"\\/\n\r\t\b\f\u0000\u001f\u2028\u2029{}[]:,").ofMaxLength(20),
        Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMaxLength(4));
  }
}
