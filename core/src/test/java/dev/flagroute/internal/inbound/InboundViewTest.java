package dev.flagroute.internal.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.inbound.InboundView.Treatment;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.support.TestRoutes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What an application behind a flagroute adapter sees of inbound headers: the decided flag
 * headers of the router's codec, no flag header of any other codec, no override token, and the
 * {@code baggage} members that are not flags.
 */
class InboundViewTest {
  private static final FlagContext DECIDED = FlagContext.builder(TestRoutes.ROUTES).relayed("checkout", "v2")
      .relayed("search", "off").build();

  private static InboundView view(HeaderCodec codec, String overrideHeader) {
    FlagRouter.Builder router = FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.RELAY).codec(codec);
    return InboundView.of((overrideHeader == null ? router : router.overrideHeader(overrideHeader)).build().codec());
  }

  @Example
  void flagHeadersOfEveryCodecAndOverrideTokensAreHidden() {
    InboundView view = view(HeaderCodec.perFlag("x-fr-"), "x-tester-token");

    assertThat(view.treatment("x-fr-checkout")).isEqualTo(Treatment.DECIDED);
    assertThat(view.treatment("X-FR-bogus")).isEqualTo(Treatment.DECIDED);
    for (String hidden : List.of("x-flag-checkout", "X-Flag-Anything", "x-flags", "X-FLAGS", "x-flagroute-override",
        "X-Tester-Token", "x-flag-checkout-bin")) {
      assertThat(view.treatment(hidden)).as(hidden).isEqualTo(Treatment.HIDE);
    }
    assertThat(view.treatment("Baggage")).isEqualTo(Treatment.BAGGAGE);
    for (String kept : List.of("x-request-id", "x-flag", "x-flagsx", "x-user-id", "traceparent", "flag")) {
      assertThat(view.treatment(kept)).as(kept).isEqualTo(Treatment.KEEP);
    }
  }

  @Example
  void baggageKeepsOnlyMembersThatAreNotFlags() {
    InboundView view = view(HeaderCodec.perFlag(), null);

    assertThat(view.baggage("userId=alice, flag.checkout=v2,FLAG.search=on;p=1,other=1,evil=x\r\ny"))
        .isEqualTo("userId=alice,other=1");
    assertThat(view.baggage("flag.checkout=v2")).isNull();
    assertThat(view.baggage(null)).isNull();
  }

  @Example
  void theDecidedHeadersAreTheRoutersCodecsOverSanitizedBaggage() {
    Map<String, String> inbound = Map.of("baggage", "userId=alice,flag.checkout=v1,ff.search=on,other=1");

    assertThat(view(HeaderCodec.baggage("ff."), null).decided(DECIDED, inbound::get))
        .containsExactly(Map.entry("baggage", "userId=alice,other=1,ff.checkout=v2,ff.search=off"));
    assertThat(view(HeaderCodec.perFlag(), null).decided(DECIDED, inbound::get))
        .containsExactly(Map.entry("x-flag-checkout", "v2"), Map.entry("x-flag-search", "off"));
    assertThat(view(HeaderCodec.combined("X-Routing"), null).decided(DECIDED, inbound::get))
        .containsExactly(Map.entry("x-routing", "checkout=v2,search=off"));
  }

  /** Whatever a header is called, it is kept only if no codec could read a flag from it. */
  @Property(tries = 2000)
  void onlyHeadersNoCodecReadsAreKept(@ForAll("codecs") HeaderCodec codec, @ForAll("names") String name) {
    InboundView view = view(codec, "x-tester-token");
    String lower = name.toLowerCase(Locale.ROOT);
    boolean flagHeader = lower.startsWith("x-flag-") && lower.length() > "x-flag-".length()
        || lower.equals("x-flags") || codec.owns(name);
    boolean override = lower.equals("x-flagroute-override") || lower.equals("x-tester-token");

    Treatment treatment = view.treatment(name);

    assertThat(treatment == Treatment.KEEP).isEqualTo(!flagHeader && !override && !lower.equals("baggage"));
    assertThat(treatment == Treatment.DECIDED).isEqualTo(codec.owns(name));
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.perFlag("x-fr-"), HeaderCodec.combined(),
        HeaderCodec.combined("x-routing"), HeaderCodec.baggage(), HeaderCodec.baggage("ff."));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.of("x-flag-checkout", "X-Flag-Search", "x-flags", "X-Flags", "baggage", "BAGGAGE",
            "x-flagroute-override", "X-Flagroute-Override", "x-tester-token", "x-fr-checkout", "x-routing", "x-flag-",
            "x-flag", "x-flagsx", "x-request-id", "x-flag-a-bin"),
        Arbitraries.strings().withChars("xflag-rsbgeouti").ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(20));
  }

  @Example
  void theShadowMarkerShowsExactlyWhenTheContextIsAShadowNeverAsSent() {
    InboundView view = InboundView.of(FlagRouter.builder(TestRoutes.ROUTES).mode(RoutingMode.RELAY)
        .shadowHeader("x-dark").build().codec());

    assertThat(view.treatment("X-Dark")).isEqualTo(Treatment.DECIDED);
    assertThat(view.treatment("x-flagroute-shadow")).as("the default marker of another configuration")
        .isEqualTo(Treatment.HIDE);
    assertThat(view.decided(DECIDED, name -> "1")).doesNotContainKey("x-dark");
    assertThat(view.decided(DECIDED.asShadow(), name -> null)).containsEntry("x-dark", "1")
        .containsEntry("x-flag-checkout", "v2");
  }
}
