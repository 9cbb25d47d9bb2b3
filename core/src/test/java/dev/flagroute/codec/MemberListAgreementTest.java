package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A relay reads from a member-list header ({@code x-flags}, {@code baggage}) exactly the variant
 * whose mesh match ({@link HeaderCodec#match}) the header value matches, whoever wrote it: member
 * keys compare case-sensitively, values are not percent-decoded, the first member of a flag counts,
 * and every part of the pattern is escaped.
 */
class MemberListAgreementTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").variant("v3", "v3")
          .defaultVariant("v1").build());

  @Test
  void memberKeysAreCaseSensitiveOnBothSides() {
    assertAgree(HeaderCodec.combined(), "CHECKOUT=v2", null);
    assertAgree(HeaderCodec.baggage(), "Flag.checkout=v2", null);
  }

  @Test
  void baggageValuesAreNotPercentDecoded() {
    assertAgree(HeaderCodec.baggage(), "flag.checkout=%76%32", null);
  }

  @Test
  void theFirstMemberOfAFlagCountsAndLaterOnesAreIgnored() {
    assertAgree(HeaderCodec.combined(), "checkout=v2,checkout=v2", "v2");
    assertAgree(HeaderCodec.combined(), "checkout=v3, checkout=v2", "v3");
    assertAgree(HeaderCodec.baggage(), "a=1,flag.checkout=bogus;p,flag.checkout=v2", null);
    assertAgree(HeaderCodec.baggage(), "flag.checkout,flag.checkout=v2", "v2");
  }

  @Test
  void prefixesWithRegexMetacharactersAreEscaped() {
    assertAgree(HeaderCodec.baggage("ff+"), "ff+checkout=v2", "v2");
    assertAgree(HeaderCodec.baggage("ff+"), "ffcheckout=v2", null);
    assertAgree(HeaderCodec.baggage("f*"), "checkout=v2", null);
    assertAgree(HeaderCodec.baggage("f*"), "f*checkout=v3", "v3");
    assertAgree(HeaderCodec.combined(), "checkout=v2", "v2");
  }

  @Test
  void onlySpacesAndTabsAroundKeysAndValuesAreOptional() {
    assertAgree(HeaderCodec.combined(), " \tcheckout \t= v2\t;p=1 ", "v2");
    assertAgree(HeaderCodec.combined(), "\u000bcheckout=v2", null);
    assertAgree(HeaderCodec.combined(), "checkout=v2\u000b", null);
  }

  @Test
  void perFlagTrimsOnlySpacesAndTabs() {
    FlagRouter relay = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).build();

    assertThat(relay.route(Map.of("x-flag-checkout", " \tv2 "), HeaderGetter.forMap()).variant("checkout"))
        .isEqualTo("v2");
    assertThat(relay.route(Map.of("x-flag-checkout", "\u000bv2"), HeaderGetter.forMap()).decision("checkout")
        .source()).isEqualTo(Source.DEFAULT);
  }

  /**
   * For arbitrary prefixes (every HTTP token character), keys, variants and member lists (keys
   * in any case, spaces and tabs, duplicates, percent-encoding, properties, other members and
   * garbage), the relay reads variant V of a flag exactly when V's mesh pattern matches the value.
   */
  @Property(tries = 400)
  void theRelayReadsWhatThePatternMatches(@ForAll("codecs") HeaderCodec codec, @ForAll("routes") FlagRoutes routes,
      @ForAll("pieces") List<String> pieces, @ForAll("indexes") List<Integer> picks) {
    String prefix = codec instanceof MemberListCodec list ? list.memberPrefix : "";
    List<String> members = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      FlagRoute route = routes.asList().get(picks.get(i) % routes.size());
      List<String> variants = List.copyOf(route.variants().keySet());
      members.add(pieces.get(i).replace("K", prefix + route.key()).replace("U", prefix
          + route.key().toUpperCase(Locale.ROOT)).replace("V", variants.get(picks.get(i) % variants.size())));
    }
    String value = String.join(",", members);
    String header = codec.headerNames(routes).get(0);
    FlagContext read = FlagRouter.builder(routes).mode(RoutingMode.RELAY).codec(codec).build()
        .route(Map.of(header, value), HeaderGetter.forMap());
    for (FlagRoute route : routes) {
      List<String> matched = new ArrayList<>();
      for (String variant : route.variants().keySet()) {
        if (Pattern.compile(codec.match(route, variant).value()).matcher(value).matches()) {
          matched.add(variant);
        }
      }
      FlagDecision decision = read.decision(route.key());
      assertThat(matched).as("%s: %s in %s", codec, route.key(), value)
          .isEqualTo(decision.source() == Source.RELAYED && !decision.isUnknownVariant() ? List.of(decision.variant())
              : List.of());
    }
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    Arbitrary<String> prefix = Arbitraries.strings().withChars("abcz09!#$%&'*+.^_`|~-").ofMinLength(1)
        .ofMaxLength(6);
    return Arbitraries.oneOf(Arbitraries.of(HeaderCodec.combined(), HeaderCodec.baggage()),
        prefix.map(HeaderCodec::baggage), Arbitraries.of("x-flags", "x-f").map(HeaderCodec::combined));
  }

  @Provide
  Arbitrary<FlagRoutes> routes() {
    Arbitrary<String> key = Arbitraries.of("checkout", "Dark-Mode", "a.b", "x", "a1", "ab", "A-b.C9");
    Arbitrary<List<String>> variants = Arbitraries.of("v1", "v2", "on", "A_b.1", "x-y", "V2", "1e3").list()
        .uniqueElements().ofMinSize(2).ofMaxSize(4);
    return Combinators.combine(key, variants).as((k, vs) -> {
      FlagRoute.Builder builder = FlagRoute.builder(k).service("svc");
      vs.forEach(v -> builder.variant(v, "v" + vs.indexOf(v)));
      return builder.defaultVariant(vs.get(0)).build();
    }).list().ofMinSize(1).ofMaxSize(3).uniqueElements(r -> r.key().toLowerCase(Locale.ROOT)).map(FlagRoutes::of);
  }

  /** Member templates: K is the flag's full member key, U it in upper case, V one of its variants. */
  @Provide
  Arbitrary<List<String>> pieces() {
    Arbitrary<String> piece = Arbitraries.oneOf(
        Arbitraries.of("K=V", "K=V", " K = V ", "\tK\t=\tV\t", "K=V;p=1", "K=V ;ttl", "U=V", "K=%76%32", "K=V%20",
            "K=", "K", "=V", "K==V", "K=V=V", "K=V x", "xK=V", "Kx=V", "K.K=V", "other=1", "o=K=V", "K=V;",
            "K =V,K= V", "K\u000b=V", "K=\u000bV", " ", ""),
        Arbitraries.strings().withChars("K=V ;,\t%x.*+").ofMaxLength(8),
        Arbitraries.strings().all().ofMaxLength(6));
    return piece.list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Integer>> indexes() {
    return Arbitraries.integers().between(0, 1000).list().ofSize(6);
  }

  private static void assertAgree(HeaderCodec codec, String value, String expected) {
    String header = codec.headerNames(ROUTES).get(0);
    FlagContext read = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).codec(codec).build()
        .route(new HashMap<>(Map.of(header, value)), HeaderGetter.forMap());
    FlagDecision decision = read.decision("checkout");
    assertThat(decision.source() == Source.RELAYED && !decision.isUnknownVariant() ? decision.variant() : null)
        .as("relay reads %s", value)
        .isEqualTo(expected);
    FlagRoute route = ROUTES.get("checkout");
    for (String variant : route.variants().keySet()) {
      assertThat(Pattern.compile(codec.match(route, variant).value()).matcher(value).matches())
          .as("the mesh matches %s=%s in %s", route.key(), variant, value).isEqualTo(variant.equals(expected));
    }
  }
}
