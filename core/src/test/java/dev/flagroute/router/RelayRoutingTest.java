package dev.flagroute.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.DropReason;
import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderGetter;
import dev.flagroute.codec.HeaderLimits;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.support.TestRoutes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A relay keeps what upstream stamped, defaults what is missing and drops, and counts, the rest. */
class RelayRoutingTest {
  private static final FlagDecision CHECKOUT_V2 = new FlagDecision("v2", Source.RELAYED, FlagDecision.RELAYED);
  private static final FlagDecision CHECKOUT_DEFAULT = new FlagDecision("v1", Source.DEFAULT, FlagDecision.MISSING);
  private static final FlagDecision SEARCH_DEFAULT = new FlagDecision("off", Source.DEFAULT, FlagDecision.MISSING);

  private final RoutingCounters counters = new RoutingCounters();
  private final FlagRoutes routes = TestRoutes.ROUTES;

  static Stream<HeaderCodec> codecs() {
    return Stream.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void keepsStampedVariantsExactly(HeaderCodec codec) {
    FlagContext flags = route(codec, carrier(codec, "checkout", "v2", "search", "on"));

    assertThat(flags.decisions()).containsExactly(Map.entry("checkout", CHECKOUT_V2),
        Map.entry("search", new FlagDecision("on", Source.RELAYED, FlagDecision.RELAYED)));
    assertThat(counters.dropped()).isZero();
    assertThat(counters.decisions()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void defaultsMissingFlags(HeaderCodec codec) {
    FlagContext flags = route(codec, carrier(codec, "checkout", "v2"));

    assertThat(flags.decisions()).containsExactly(Map.entry("checkout", CHECKOUT_V2), Map.entry("search", SEARCH_DEFAULT));
    assertThat(route(codec, Map.of()).decisions())
        .containsExactly(Map.entry("checkout", CHECKOUT_DEFAULT), Map.entry("search", SEARCH_DEFAULT));
    assertThat(counters.dropped()).isZero();
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void carriesUnknownVariantsUnchangedAndReportsThem(HeaderCodec codec) {
    FlagContext flags = route(codec, carrier(codec, "checkout", "v3", "search", "On"));

    assertThat(flags.decisions()).containsExactly(
        Map.entry("checkout", new FlagDecision("v3", Source.RELAYED, FlagDecision.UNKNOWN_VARIANT)),
        Map.entry("search", new FlagDecision("On", Source.RELAYED, FlagDecision.UNKNOWN_VARIANT)));
    assertThat(flags.decision("checkout").isUnknownVariant()).isTrue();
    assertThat(counters.unknownVariants()).isEqualTo(2);
    assertThat(counters.dropped()).isZero();
    Map<String, String> outbound = new LinkedHashMap<>();
    codec.inject(flags, outbound, dev.flagroute.codec.HeaderSetter.forMap());
    assertThat(route(codec, multi(outbound)).decisions()).isEqualTo(flags.decisions());
  }

  private static Map<String, List<String>> multi(Map<String, String> headers) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return multi;
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void dropsInvalidValues(HeaderCodec codec) {
    assertDropped(codec, carrier(codec, "checkout", "v 2", "search", "ön"), DropReason.INVALID_VALUE, 2);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void dropsEmptyValues(HeaderCodec codec) {
    assertDropped(codec, carrier(codec, "checkout", "", "search", "  "), DropReason.EMPTY_VALUE, 2);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void dropsValuesOverTheLimit(HeaderCodec codec) {
    assertDropped(codec, carrier(codec, "checkout", "v".repeat(257)), DropReason.VALUE_TOO_LONG, 1);
  }

  @Test
  void dropsPerFlagHeadersSentTwiceEvenWithTheSameValue() {
    HeaderCodec codec = HeaderCodec.perFlag();
    assertDropped(codec, carrier(codec, "checkout", "v1", "checkout", "v2", "search", "on", "search", "on"),
        DropReason.DUPLICATE, 2);
  }

  @ParameterizedTest
  @MethodSource("memberListCodecs")
  void readsTheFirstMemberOfAFlagAndDropsLaterOnesAsTheMeshPatternDoes(HeaderCodec codec) {
    FlagContext flags = route(codec, carrier(codec, "checkout", "v2", "checkout", "v1", "search", "on", "search",
        "on"));

    assertThat(flags.decision("checkout")).isEqualTo(CHECKOUT_V2);
    assertThat(flags.variant("search")).isEqualTo("on");
    assertThat(counters.dropped(DropReason.DUPLICATE)).isEqualTo(2);
    assertThat(counters.dropped()).isEqualTo(2);
  }

  static Stream<HeaderCodec> memberListCodecs() {
    return Stream.of(HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void carriesFlagsNoRouteDefines(HeaderCodec codec) {
    FlagContext flags = route(codec, carrier(codec, "payment", "v2", "checkout", "v2", "ratings-model", "neural"));

    assertThat(flags.decision("checkout")).isEqualTo(CHECKOUT_V2);
    assertThat(flags.decision("payment")).isNull();
    assertThat(flags.carried()).containsExactly(Map.entry("payment", "v2"), Map.entry("ratings-model", "neural"));
    assertThat(counters.dropped()).isZero();
    Map<String, String> outbound = new LinkedHashMap<>();
    codec.inject(flags, outbound, dev.flagroute.codec.HeaderSetter.forMap());
    FlagContext next = route(codec, multi(outbound));
    assertThat(next.carried()).isEqualTo(flags.carried());
    assertThat(next.decision("checkout")).isEqualTo(CHECKOUT_V2);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void carriesManyFlagsInTheOrderRead(HeaderCodec codec) {
    String[] pairs = new String[2 * 40];
    Map<String, String> expected = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      pairs[2 * i] = "flag-" + i;
      pairs[2 * i + 1] = "v" + i;
      expected.put("flag-" + i, "v" + i);
    }
    FlagContext flags = route(codec, carrier(codec, pairs));

    assertThat(flags.carried()).containsExactlyEntriesOf(expected);
    assertThat(counters.dropped()).isZero();
    Map<String, String> outbound = new LinkedHashMap<>();
    codec.inject(flags, outbound, dev.flagroute.codec.HeaderSetter.forMap());
    assertThat(route(codec, multi(outbound)).carried()).containsExactlyEntriesOf(expected);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void dropsCarriedFlagsWithIllegalKeysOrValues(HeaderCodec codec) {
    FlagContext flags = route(codec, carrier(codec, "pay_ment", "v2", "payment", "v 2", "refund", "",
        "k".repeat(64), "v1", "ok", "v1"));

    assertThat(flags.carried()).containsExactly(Map.entry("ok", "v1"));
    assertThat(counters.dropped(DropReason.INVALID_KEY)).isEqualTo(2);
    assertThat(counters.dropped(DropReason.INVALID_VALUE)).isEqualTo(1);
    assertThat(counters.dropped(DropReason.EMPTY_VALUE)).isEqualTo(1);
    assertThat(counters.dropped()).isEqualTo(4);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void carriedFlagsCountTowardsTheFlagLimit(HeaderCodec codec) {
    FlagContext flags = route(codec, carrier(codec, "checkout", "v2", "a", "v1", "b", "v1"),
        new HeaderLimits(2, 256, 8192));

    assertThat(flags.decision("checkout")).isEqualTo(CHECKOUT_V2);
    assertThat(flags.carried()).hasSize(1);
    assertThat(counters.dropped(DropReason.TOO_MANY_FLAGS)).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void dropsFlagsBeyondTheLimit(HeaderCodec codec) {
    FlagContext flags = route(codec, carrier(codec, "checkout", "v2", "search", "on"), new HeaderLimits(1, 256, 8192));

    assertThat(flags.decision("checkout")).isEqualTo(CHECKOUT_V2);
    assertThat(flags.decision("search")).isEqualTo(SEARCH_DEFAULT);
    assertThat(counters.dropped(DropReason.TOO_MANY_FLAGS)).isEqualTo(1);
    assertThat(counters.dropped()).isEqualTo(1);
  }

  @Test
  void carriesUnknownFlagsWithoutReportForeignHeaders() {
    Map<String, List<String>> carrier = carrier(HeaderCodec.perFlag(), "payment", "v2", "search", "maybe");
    FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.RELAY).listener(counters).build();

    FlagContext flags = router.route(carrier, HeaderGetter.forMultiMap());

    assertThat(flags.variant("search")).isEqualTo("maybe");
    assertThat(flags.carried()).containsExactly(Map.entry("payment", "v2"));
    assertThat(counters.unknownVariants()).isEqualTo(1);
    assertThat(counters.dropped()).isZero();
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void readsTheSameVariantsWhetherOrNotAnyoneHearsOfDrops(HeaderCodec codec) {
    Map<String, List<String>> carrier = carrier(codec, "payment", "v2", "checkout", "v2", "search", "maybe");
    FlagRouter unheard = FlagRouter.builder(routes).mode(RoutingMode.RELAY).codec(codec).build();

    assertThat(unheard.route(carrier, HeaderGetter.forMultiMap())).isEqualTo(route(codec, carrier));
    assertThat(counters.unknownVariants()).as("the listened-to router still reports").isEqualTo(1);
    assertThat(counters.dropped()).isZero();
  }

  @Test
  void keepsStampedVariantsOfFlagsWithManyVariants() {
    FlagRoute.Builder many = FlagRoute.builder("many").service("svc");
    IntStream.range(0, 12).forEach(i -> many.variant("v" + i, "v" + i));
    FlagRouter router = FlagRouter.builder(FlagRoutes.of(many.defaultVariant("v0").build())).mode(RoutingMode.RELAY)
        .listener(counters).reportForeignHeaders(true).build();

    for (int i = 0; i < 12; i++) {
      assertThat(router.route(Map.of("x-flag-many", List.of("v" + i)), HeaderGetter.forMultiMap()).decision("many"))
          .isEqualTo(new FlagDecision("v" + i, Source.RELAYED, FlagDecision.RELAYED));
    }
    assertThat(router.route(Map.of("x-flag-many", List.of("v12")), HeaderGetter.forMultiMap()).decision("many"))
        .isEqualTo(new FlagDecision("v12", Source.RELAYED, FlagDecision.UNKNOWN_VARIANT));
    assertThat(counters.unknownVariants()).isEqualTo(1);
  }

  @Test
  void dropsWholeHeadersOverTheLimit() {
    String padding = ",other=" + "x".repeat(9000);

    FlagContext flags = route(HeaderCodec.combined(), Map.of("x-flags", List.of("checkout=v2" + padding)));

    assertThat(flags.decision("checkout")).isEqualTo(CHECKOUT_DEFAULT);
    assertThat(counters.dropped(DropReason.HEADER_TOO_LONG)).isEqualTo(1);
  }

  @Test
  void dropsMalformedMembers() {
    route(HeaderCodec.combined(), Map.of("x-flags", List.of("checkout,search=on")));
    route(HeaderCodec.baggage(), Map.of("baggage", List.of("flag.checkout")));

    assertThat(counters.dropped(DropReason.MALFORMED)).isEqualTo(2);
    assertThat(counters.dropped()).isEqualTo(2);
  }

  @Test
  void countsEachDropByReasonAcrossRequests() {
    HeaderCodec codec = HeaderCodec.combined();
    route(codec, Map.of("x-flags", List.of("checkout=v3,search=o n,payment=x y,Checkout=v2")));
    route(codec, Map.of("x-flags", List.of("checkout=v2,search=maybe,payment=x,payment=y")));

    assertThat(counters.decisions()).isEqualTo(2);
    assertThat(counters.unknownVariants()).isEqualTo(2);
    assertThat(counters.dropped(DropReason.INVALID_VALUE)).isEqualTo(2);
    assertThat(counters.dropped(DropReason.INVALID_KEY)).as("a key differing from a route's only in case").isEqualTo(1);
    assertThat(counters.dropped(DropReason.DUPLICATE)).isEqualTo(1);
    assertThat(counters.dropped()).isEqualTo(4);
  }

  @Test
  void keepsStrippedValuesWithSurroundingWhitespace() {
    assertThat(route(HeaderCodec.perFlag(), Map.of("x-flag-checkout", List.of(" v2\t"))).decision("checkout"))
        .isEqualTo(CHECKOUT_V2);
    assertThat(route(HeaderCodec.baggage(), Map.of("baggage", List.of("a=1, flag.checkout = v2 ;ttl=3"))).decision(
        "checkout")).isEqualTo(CHECKOUT_V2);
  }

  @Test
  void neitherAFailingCarrierNorAFailingListenerFailsTheRequest() {
    RoutingListener failing = new RoutingListener() {
      @Override
      public void decided(FlagContext context) {
        throw new IllegalStateException("listener bug");
      }
    };
    FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.RELAY).listener(failing).build();
    HeaderGetter<Object> broken = (carrier, name) -> {
      throw new IllegalStateException("carrier bug");
    };

    FlagContext flags = router.route(new Object(), broken);

    assertThat(flags.decisions()).containsExactly(
        Map.entry("checkout", new FlagDecision("v1", Source.DEFAULT, "ERROR")),
        Map.entry("search", new FlagDecision("off", Source.DEFAULT, "ERROR")));
  }

  private void assertDropped(HeaderCodec codec, Map<String, List<String>> carrier, DropReason reason, long count) {
    FlagContext flags = route(codec, carrier);

    assertThat(flags.decisions()).as("every dropped flag takes its default")
        .containsExactly(Map.entry("checkout", CHECKOUT_DEFAULT), Map.entry("search", SEARCH_DEFAULT));
    assertThat(counters.dropped(reason)).isEqualTo(count);
    assertThat(counters.dropped()).as("no other drop").isEqualTo(count);
  }

  private FlagContext route(HeaderCodec codec, Map<String, List<String>> carrier) {
    return route(codec, carrier, HeaderLimits.DEFAULT);
  }

  private FlagContext route(HeaderCodec codec, Map<String, List<String>> carrier, HeaderLimits limits) {
    FlagRouter router = FlagRouter.builder(routes).mode(RoutingMode.RELAY).codec(codec).limits(limits)
        .listener(counters).reportForeignHeaders(true).build();
    return router.route(carrier, HeaderGetter.forMultiMap());
  }

  /** Headers as an upstream hop would send the given flag/value pairs with {@code codec}; repeats allowed. */
  private static Map<String, List<String>> carrier(HeaderCodec codec, String... flagValuePairs) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    List<String> pairs = Arrays.asList(flagValuePairs);
    for (int i = 0; i < pairs.size(); i += 2) {
      String flag = pairs.get(i);
      String value = pairs.get(i + 1);
      String header;
      String member;
      if (codec == HeaderCodec.perFlag()) {
        header = "x-flag-" + flag;
        member = value;
      } else if (codec == HeaderCodec.combined()) {
        header = "x-flags";
        member = flag + "=" + value;
      } else {
        header = "baggage";
        member = "flag." + flag + "=" + value;
      }
      headers.computeIfAbsent(header, k -> new ArrayList<>()).add(member);
    }
    return headers;
  }
}
