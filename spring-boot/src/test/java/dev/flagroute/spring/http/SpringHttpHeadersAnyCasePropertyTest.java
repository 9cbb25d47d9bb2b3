package dev.flagroute.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.spring.TestRoutes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.HttpHeaders;

/** The getter over Spring's headers (servlet and WebFlux apps, clients) reads names in any case. */
class SpringHttpHeadersAnyCasePropertyTest {
  @Property(tries = 200)
  void aRelayReadsTheSameFlagsWhateverTheCaseOfTheNames(@ForAll("codecs") HeaderCodec codec,
      @ForAll("variants") String checkout, @ForAll("masks") List<Boolean> upper) {
    FlagContext sent = FlagContext.builder(TestRoutes.ROUTES).relayed("checkout", checkout)
        .carry("ratings-model", "neural").build();
    Map<String, String> written = new LinkedHashMap<>();
    codec.inject(sent, written, HeaderSetter.forMap());
    HttpHeaders lower = new HttpHeaders();
    HttpHeaders cased = new HttpHeaders();
    int offset = 0;
    for (Map.Entry<String, String> header : written.entrySet()) {
      lower.add(header.getKey(), header.getValue());
      cased.add(recase(header.getKey(), upper, offset++), header.getValue());
    }
    FlagRouter relay = FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.RELAY).codec(codec).build();

    FlagContext read = relay.route(cased, SpringHttpHeaders.getter());

    assertThat(read).isEqualTo(relay.route(lower, SpringHttpHeaders.getter()));
    assertThat(read.variant("checkout")).isEqualTo(checkout);
    assertThat(read.carried()).isEqualTo(sent.carried());
    written.keySet().forEach(name -> assertThat(SpringHttpHeaders.getter().get(cased, name))
        .isEqualTo(written.get(name)));
  }

  private static String recase(String name, List<Boolean> upper, int offset) {
    StringBuilder cased = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      cased.append(upper.get((i + offset) % upper.size()) ? Character.toUpperCase(name.charAt(i)) : name.charAt(i));
    }
    return cased.toString();
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @Provide
  Arbitrary<String> variants() {
    return Arbitraries.of("v1", "v2");
  }

  @Provide
  Arbitrary<List<Boolean>> masks() {
    return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(7);
  }
}
