package dev.flagroute.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.context.FlagContext;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire format of each codec, by example. */
class HeaderCodecTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("Checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
          .build(),
      FlagRoute.builder("search").service("search").variant("off", "v1").variant("on", "v2").defaultVariant("off")
          .build());
  private static final FlagContext CONTEXT = FlagContext.builder(ROUTES).relayed("checkout", "v2")
      .relayed("search", "on").build();

  @Test
  void perFlagWritesOneLowercaseHeaderPerFlag() {
    assertThat(write(HeaderCodec.perFlag(), new HashMap<>()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("x-flag-checkout", "v2", "x-flag-search", "on"));
    assertThat(HeaderCodec.perFlag().headerNames(ROUTES)).containsExactly("x-flag-checkout", "x-flag-search");
    assertThat(HeaderCodec.perFlag("X-Feature-").headerNames(ROUTES)).containsExactly("x-feature-checkout",
        "x-feature-search");
    assertThat(HeaderCodec.perFlag().match(ROUTES.get("checkout"), "v2"))
        .isEqualTo(new HeaderMatch("x-flag-checkout", HeaderMatch.Type.EXACT, "v2"));
  }

  @Test
  void combinedWritesOneHeader() {
    assertThat(write(HeaderCodec.combined(), new HashMap<>())).containsExactlyEntriesOf(
        Map.of("x-flags", "Checkout=v2,search=on"));
    assertThat(HeaderCodec.combined("X-Routing").headerNames(ROUTES)).containsExactly("x-routing");
  }

  @Test
  void baggageReplacesItsOwnMembersAndKeepsOthers() {
    Map<String, String> headers = new HashMap<>(Map.of("baggage", "userId=alice, flag.Checkout=v1;p=1 ,isProd=false"));

    assertThat(write(HeaderCodec.baggage(), headers)).containsExactlyEntriesOf(
        Map.of("baggage", "userId=alice,isProd=false,flag.Checkout=v2,flag.search=on"));
  }

  @Test
  void baggageValuesAreReadAsWrittenWithTheKeyAsDeclared() {
    HeaderCodecPropertyTest.Recorder recorder = new HeaderCodecPropertyTest.Recorder(ROUTES);

    HeaderCodecPropertyTest.extract(HeaderCodec.baggage(), ROUTES, HeaderLimits.DEFAULT,
        Map.of("baggage", "flag.Checkout=%76%32;ttl=1, flag.search=on, flag.checkout=v2, flag.search=off"), recorder);

    assertThat(recorder.values).isEqualTo(Map.of(0, "%76%32", 1, "on"));
    assertThat(recorder.drops).containsExactly("baggage: UNKNOWN_FLAG", "baggage: DUPLICATE");
  }

  @Test
  void ownsOnlyItsHeadersIgnoringCase() {
    assertThat(HeaderCodec.perFlag().owns("X-Flag-Anything")).isTrue();
    assertThat(HeaderCodec.perFlag().owns("x-flag-")).isFalse();
    assertThat(HeaderCodec.perFlag().owns("x-flags")).isFalse();
    assertThat(HeaderCodec.combined().owns("X-Flags")).isTrue();
    assertThat(HeaderCodec.baggage().owns("Baggage")).isTrue();
  }

  @Test
  void outboundStampingStripsFlagHeadersAndOverrideTokens() {
    assertThat(HeaderCodec.perFlag().strips("X-Flag-Checkout")).isTrue();
    assertThat(HeaderCodec.combined().strips("x-flagroute-override")).isTrue();
    assertThat(HeaderCodec.baggage().strips("X-Flagroute-Override")).isTrue();
    assertThat(HeaderCodec.perFlag().strips("x-request-id")).isFalse();
    HeaderCodec routers = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY).overrideHeader("X-Tester-Token").build()
        .codec();
    assertThat(routers.strips("x-tester-token")).isTrue();
    assertThat(routers.strips(OverrideTokens.DEFAULT_HEADER)).isTrue();
    assertThat(routers.strips("x-flag-search")).isTrue();
    assertThat(routers.owns("x-tester-token")).isFalse();
    assertThat(FlagRouter.DEFAULT_OVERRIDE_HEADER).isEqualTo(OverrideTokens.DEFAULT_HEADER);
  }

  @Test
  void headerNamesMustBeTokens() {
    assertThatThrownBy(() -> HeaderCodec.perFlag("x flag-")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HTTP token");
    assertThatThrownBy(() -> HeaderCodec.combined("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HeaderCodec.baggage("flag,")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyContextWritesNothing() {
    for (HeaderCodec codec : List.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage())) {
      Map<String, String> headers = new HashMap<>(Map.of("baggage", "flag.checkout=v1"));
      codec.inject(FlagContext.empty(), headers, HeaderSetter.forMap());
      assertThat(headers).as("%s", codec).containsExactlyEntriesOf(Map.of("baggage", "flag.checkout=v1"));
    }
  }

  @Test
  void matchRejectsVariantsTheFlagDoesNotHave() {
    assertThatThrownBy(() -> HeaderCodec.combined().match(ROUTES.get("search"), "maybe"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no variant 'maybe'");
  }

  @Test
  void perFlagCountsUnknownFlagHeadersTowardsTheLimit() {
    Map<String, String> headers = new HashMap<>(Map.of("x-flag-checkout", "v2"));
    for (int i = 0; i < 1_000; i++) {
      headers.put("x-flag-junk" + i, "x");
    }
    HeaderCodecPropertyTest.Recorder recorder = new HeaderCodecPropertyTest.Recorder(ROUTES);

    HeaderCodecPropertyTest.extract(HeaderCodec.perFlag(), ROUTES, new HeaderLimits(8, 256, 8192), headers, recorder);

    assertThat(recorder.values).containsExactlyEntriesOf(Map.of(0, "v2"));
    assertThat(recorder.drops).hasSize(8).last().isEqualTo("x-flag-*: TOO_MANY_FLAGS");
  }

  @Test
  void perFlagStripsSurroundingWhitespaceAndDropsJoinedRepeatsAndLongValues() {
    HeaderCodecPropertyTest.Recorder recorder = new HeaderCodecPropertyTest.Recorder(ROUTES);

    HeaderCodecPropertyTest.extract(HeaderCodec.perFlag(), ROUTES, HeaderLimits.DEFAULT,
        Map.of("x-flag-checkout", "v2", "x-flag-search", " on "), recorder);
    HeaderCodecPropertyTest.extract(HeaderCodec.perFlag(), ROUTES, HeaderLimits.DEFAULT,
        Map.of("x-flag-checkout", "v1,v2", "x-flag-search", "x".repeat(300)), recorder);

    assertThat(recorder.values).isEqualTo(Map.of(0, "v2", 1, "on"));
    assertThat(recorder.headers).isEqualTo(Map.of(0, "x-flag-checkout", 1, "x-flag-search"));
    assertThat(recorder.drops).containsExactly("x-flag-checkout: DUPLICATE", "x-flag-search: VALUE_TOO_LONG");
  }

  @Test
  void aBoundCodecWritesLikeItsCodec() {
    HeaderCodec bound = BoundCodec.bind(HeaderCodec.perFlag(), ROUTES, HeaderLimits.DEFAULT);
    FlagContext narrower = FlagContext.builder(FlagRoutes.of(ROUTES.get("search"))).relayed("search", "on").build();

    assertThat(write(bound, new HashMap<>())).isEqualTo(write(HeaderCodec.perFlag(), new HashMap<>()));
    Map<String, String> other = new HashMap<>();
    bound.inject(narrower, other, HeaderSetter.forMap());
    assertThat(other).as("a context of other routes").containsExactlyEntriesOf(Map.of("x-flag-search", "on"));
    assertThat(bound.headerNames(ROUTES)).containsExactly("x-flag-checkout", "x-flag-search");
    assertThat(bound).hasToString("HeaderCodec.perFlag(x-flag-)");
  }

  @Test
  void onlyFlagroutesCodecsExist() {
    assertThat(HeaderCodec.class.isSealed()).as("users cannot implement HeaderCodec").isTrue();
    assertThat(HeaderCodec.class.getPermittedSubclasses()).isNotEmpty()
        .allSatisfy(type -> assertThat(Modifier.isPublic(type.getModifiers())).as(type + " is public").isFalse());
  }

  private static Map<String, String> write(HeaderCodec codec, Map<String, String> headers) {
    codec.inject(CONTEXT, headers, HeaderSetter.forMap());
    return headers;
  }
}
