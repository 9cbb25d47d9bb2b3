package dev.flagroute.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.routes.FlagRoutes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@WithRoutesFile("flag-routes.yaml")
class StampedFlagsTest {
  @Test
  void readsHeadersIgnoringTheCaseOfTheirNames(FlagRoutes routes) {
    StampedFlags flags = StampedFlags.ofMultimap(Map.of("X-Flag-Checkout", List.of("v2"), "x-request-id", List.of("1")),
        routes);

    assertThat(flags.variants()).containsExactly(Map.entry("checkout", "v2"));
    assertThat(flags.unreadable()).isEmpty();
    flags.assertVariants(Map.of("CHECKOUT", "v2")).assertVariant("checkout", "v2");
  }

  @Test
  void showsExpectedAndActualVariantsOnMismatch(FlagRoutes routes) {
    StampedFlags flags = StampedFlags.ofMultimap(Map.of("x-flag-checkout", List.of("v1")), routes);

    AssertionFailedError e = catchThrowableOfType(AssertionFailedError.class,
        () -> flags.assertVariants(Map.of("checkout", "v2", "search", "on")));

    assertThat(e.getMessage()).isEqualTo("""
        request carried other flag variants than expected (read with HeaderCodec.perFlag(x-flag-))
          expected:   {checkout=v2, search=on}
          actual:     {checkout=v1}
          headers:    {x-flag-checkout=[v1]}""");
    assertThat(e.getExpected().getStringRepresentation()).isEqualTo("{checkout=v2, search=on}");
    assertThat(e.getActual().getStringRepresentation()).isEqualTo("{checkout=v1}");
  }

  @Test
  void readsValuesAsSentSoThatWrongVariantsShow(FlagRoutes routes) {
    StampedFlags flags = StampedFlags.ofMap(Map.of("x-flags", "checkout=v9"), routes, HeaderCodec.combined());

    assertThatThrownBy(() -> flags.assertVariant("checkout", "v2"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("request carried variant 'v9' for flag 'checkout' instead of 'v2'");
    assertThatThrownBy(() -> flags.assertVariant("search", "on"))
        .hasMessageStartingWith("request carried no variant for flag 'search' instead of 'on'");
  }

  @Test
  void aFlagStampedTwiceOrUnknownIsUnreadableAndFailsExactAssertions(FlagRoutes routes) {
    StampedFlags flags = StampedFlags.ofMultimap(Map.of("x-flag-checkout", List.of("v1", "v2"),
        "x-flag-retired", List.of("on"), "x-flag-search", List.of("on")), routes);

    assertThat(flags.unreadable()).containsExactlyInAnyOrder("x-flag-checkout (DUPLICATE)",
        "x-flag-retired (UNKNOWN_FLAG)");
    flags.assertVariant("search", "on");
    assertThatThrownBy(() -> flags.assertVariants(Map.of("search", "on")))
        .hasMessageContaining("unreadable: [");
    assertThatThrownBy(flags::assertNone).isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("request carried flags but should carry none");
  }

  @Test
  void assertsAgainstAContext(FlagRoutes routes) {
    FlagContext context = FlagContext.builder(routes).relayed("checkout", "v2").fillDefaults("MISSING").build();

    StampedFlags.ofMap(Map.of("baggage", "a=1,flag.checkout=v2,flag.search=off"), routes, HeaderCodec.baggage())
        .assertStamped(context);
    assertThatThrownBy(() -> StampedFlags.ofMap(Map.of("baggage", "a=1,flag.checkout=v2"), routes,
        HeaderCodec.baggage()).assertStamped(context)).isInstanceOf(AssertionFailedError.class);
  }

  @Test
  void aBaggageHeaderWithoutFlagsCarriesNone(FlagRoutes routes) {
    StampedFlags.ofMap(Map.of("baggage", "userId=alice"), routes, HeaderCodec.baggage()).assertNone();
  }

  @Test
  void aFlagWithoutRouteIsAMistakeInTheTest(FlagRoutes routes) {
    StampedFlags flags = StampedFlags.ofMap(Map.of(), routes, HeaderCodec.perFlag());

    assertThatThrownBy(() -> flags.assertVariant("payment", "on")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no route for flag 'payment' among [checkout, search]");
  }
}
