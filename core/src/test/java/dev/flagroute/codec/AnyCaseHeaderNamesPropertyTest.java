package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.support.TestRoutes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Header names are read in any case, as HTTP reads them: the map getters find a name whatever the
 * case of its key, join keys that differ only in case as one header sent twice, and a relay reads
 * the same flags, routed and carried, whatever case a sender or a proxy gave the names.
 */
class AnyCaseHeaderNamesPropertyTest {
  private static final List<String> NAMES = List.of("x-flag-checkout", "x-flag-search", "x-flag-ratings-model",
      "x-flags", "baggage", "host", "x-flag-k");

  @Property(tries = 500)
  void mapGettersMatchNamesIgnoringAsciiCase(@ForAll("casedHeaders") Map<String, String> headers,
      @ForAll("names") String name) {
    List<String> expected = new ArrayList<>();
    headers.forEach((key, value) -> {
      if (key.equalsIgnoreCase(name) && key.chars().allMatch(c -> c < 128)) {
        expected.add(value);
      }
    });
    String joined = expected.isEmpty() ? null : String.join(",", expected);
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((key, value) -> multi.put(key, List.of(value)));

    assertThat(HeaderGetter.forMap().get(headers, name)).isEqualTo(joined);
    assertThat(HeaderGetter.forMultiMap().get(multi, name)).isEqualTo(joined);
  }

  @Property(tries = 300)
  void aRelayReadsTheSameFlagsWhateverTheCaseOfTheNames(@ForAll("codecs") HeaderCodec codec,
      @ForAll("variants") List<String> variants, @ForAll("masks") List<Boolean> upper) {
    FlagContext sent = FlagContext.builder(TestRoutes.ROUTES).relayed("checkout", variants.get(0))
        .relayed("search", variants.get(1)).carry("ratings-model", "neural").build();
    Map<String, String> lower = new LinkedHashMap<>();
    codec.inject(sent, lower, HeaderSetter.forMap());
    Map<String, String> cased = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, String> header : lower.entrySet()) {
      cased.put(recase(header.getKey(), upper, i++), header.getValue());
    }
    FlagRouter relay = FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.RELAY).codec(codec).build();

    FlagContext read = relay.route(cased, HeaderGetter.forMap());

    assertThat(read).isEqualTo(relay.route(lower, HeaderGetter.forMap()));
    assertThat(read.variants()).isEqualTo(sent.variants());
    assertThat(read.carried()).isEqualTo(sent.carried());
  }

  private static String recase(String name, List<Boolean> upper, int offset) {
    StringBuilder cased = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      boolean up = upper.get((i + offset) % upper.size());
      cased.append(up ? Character.toUpperCase(name.charAt(i)) : name.charAt(i));
    }
    return cased.toString();
  }

  @Provide
  Arbitrary<Map<String, String>> casedHeaders() {
    Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(NAMES).flatMap(n -> Arbitraries.strings()
        .withChars("01").ofLength(n.length()).map(mask -> recase(n, mask))), Arbitraries.of("x-flag-\u212a",
        "X-FLAG-\u212a", "x-flag-K"));
    return Arbitraries.maps(name, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(5))
        .ofMaxSize(8);
  }

  private static String recase(String name, String mask) {
    StringBuilder cased = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      cased.append(mask.charAt(i) == '1' ? Character.toUpperCase(name.charAt(i)) : name.charAt(i));
    }
    return cased.toString();
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of(NAMES);
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @Provide
  Arbitrary<List<String>> variants() {
    return Arbitraries.of("v1", "v2").list().ofSize(1).flatMap(first -> Arbitraries.of("off", "on").map(second ->
        List.of(first.get(0), second)));
  }

  @Provide
  Arbitrary<List<Boolean>> masks() {
    return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(7);
  }
}
