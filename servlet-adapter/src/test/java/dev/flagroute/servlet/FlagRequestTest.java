package dev.flagroute.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.inbound.InboundView;
import dev.openfeature.sdk.ImmutableContext;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The header view the application gets, for each codec. */
class FlagRequestTest {
  private static final RequestFlags DECIDED = new RequestFlags(
      FlagContext.builder(TestFlags.ROUTES).evaluated("checkout", "v1", "STATIC").evaluated("search", "on", "STATIC")
          .build(),
      ImmutableContext.EMPTY, null);

  @Test
  void perFlagShowsDecidedHeadersAndHidesDroppedOnes() {
    FlagRequest request = wrap(HeaderCodec.perFlag(), new FakeRequest().header("x-user-id", "alice")
        .header("X-Flag-Checkout", "v2").header("x-flag-bogus", "yes"));

    assertThat(request.getHeader("x-flag-checkout")).isEqualTo("v1");
    assertThat(request.getHeader("X-FLAG-SEARCH")).isEqualTo("on");
    assertThat(request.getHeader("x-flag-bogus")).isNull();
    assertThat(Collections.list(request.getHeaders("x-flag-checkout"))).containsExactly("v1");
    assertThat(Collections.list(request.getHeaders("x-flag-bogus"))).isEmpty();
    assertThat(Collections.list(request.getHeaderNames()))
        .containsExactly("x-user-id", "x-flag-checkout", "x-flag-search");
    assertThat(request.getHeader("x-user-id")).isEqualTo("alice");
  }

  @Test
  void combinedShowsOneDecidedHeader() {
    FlagRequest request = wrap(HeaderCodec.combined(), new FakeRequest().header("x-flags", "checkout=v2,evil=1"));

    assertThat(request.getHeader("X-Flags")).isEqualTo("checkout=v1,search=on");
    assertThat(Collections.list(request.getHeaderNames())).containsExactly("x-flags");
  }

  @Test
  void baggageKeepsOtherMembersAndReplacesFlagMembers() {
    FlagRequest request = wrap(HeaderCodec.baggage(),
        new FakeRequest().header("baggage", "userId=alice,flag.checkout=v2").header("baggage", "region=eu"));

    assertThat(request.getHeader("Baggage")).isEqualTo("userId=alice,region=eu,flag.checkout=v1,flag.search=on");
    assertThat(Collections.list(request.getHeaderNames())).containsExactly("baggage");
  }

  @Test
  void numericAndDateAccessorsFollowTheDecidedValue() {
    FlagRequest request = wrap(HeaderCodec.perFlag(), new FakeRequest().header("x-flag-checkout", "7"));

    assertThat(request.getIntHeader("x-flag-bogus")).isEqualTo(-1);
    assertThat(request.getDateHeader("x-flag-bogus")).isEqualTo(-1);
    assertThatThrownBy(() -> request.getIntHeader("x-flag-checkout")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> request.getDateHeader("x-flag-checkout")).isInstanceOf(IllegalArgumentException.class);
  }

  private static FlagRequest wrap(HeaderCodec codec, FakeRequest inbound) {
    return new FlagRequest(inbound.build(), null, InboundView.of(codec), DECIDED, new ThreadBinder(null, null));
  }
}
