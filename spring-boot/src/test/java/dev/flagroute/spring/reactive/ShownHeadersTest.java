package dev.flagroute.spring.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.internal.inbound.InboundView;
import dev.flagroute.override.OverrideTokens;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.spring.http.SpringHttpHeaders;
import dev.openfeature.sdk.ImmutableContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.util.MultiValueMapAdapter;

/**
 * The read-only view of {@link ShownHeaders}: what it shows, that it reads a header kept as sent
 * straight from the inbound headers, and that it works out the rest once however often asked.
 */
class ShownHeadersTest {
  private static final FlagRoutes ROUTES = FlagRoutes.of(
      FlagRoute.builder("checkout").service("reviews").variant("v1", "v1").variant("v2", "v2").defaultVariant("v1")
          .build());
  private static final FlagRouter RELAY = FlagRouter.builder(ROUTES).mode(RoutingMode.RELAY)
      .codec(HeaderCodec.perFlag()).build();

  private final CountingHeaders counting = new CountingHeaders();
  private final HttpHeaders inbound = HttpHeaders.readOnlyHttpHeaders(new HttpHeaders(counting));

  ShownHeadersTest() {
    counting.add("Accept", "application/json");
    counting.add("X-Flag-Checkout", "v2");
    counting.add("x-flag-bogus", "yes");
    counting.add("x-flags", "checkout=v1");
    counting.add(OverrideTokens.DEFAULT_HEADER, "fr2:4102444800:checkout=v1:::forged");
    counting.add("baggage", "userId=alice,flag.checkout=v1");
    counting.add("x-other", "a");
    counting.add("x-other", "b");
  }

  private HttpHeaders shown() {
    FlagContext flags = RELAY.route(inbound, SpringHttpHeaders.getter(), ImmutableContext.EMPTY, "reviews");
    counting.iterations.set(0);
    return ShownHeaders.of(inbound, InboundView.of(RELAY.codec()), flags);
  }

  @Test
  void showsTheDecisionAndHidesEveryOtherFlagHeaderInAnyCase() {
    HttpHeaders shown = shown();

    assertThat(shown.getFirst("x-flag-checkout")).isEqualTo("v2");
    assertThat(shown.get("X-FLAG-CHECKOUT")).containsExactly("v2");
    assertThat(shown.get("X-Flag-Bogus")).as("a flag the relay carries unrouted").containsExactly("yes");
    assertThat(shown.get("x-flags")).isNull();
    assertThat(shown.getFirst(OverrideTokens.DEFAULT_HEADER.toUpperCase(Locale.ROOT))).isNull();
    assertThat(shown.get("Baggage")).containsExactly("userId=alice");
    assertThat(shown.get("X-OTHER")).containsExactly("a", "b");
    assertThat(shown.headerNames()).containsExactlyInAnyOrder("Accept", "baggage", "x-other", "x-flag-checkout",
        "x-flag-bogus");
    assertThat(shown.size()).isEqualTo(5);
    assertThat(HttpHeaders.copyOf(shown).toSingleValueMap()).isEqualTo(Map.of("Accept", "application/json",
        "baggage", "userId=alice", "x-other", "a", "x-flag-checkout", "v2", "x-flag-bogus", "yes"));
  }

  @Test
  void headersKeptAsSentAreReadWithoutBuildingTheView() {
    HttpHeaders shown = shown();

    assertThat(shown.getAccept()).hasSize(1);
    assertThat(shown.getFirst("x-other")).isEqualTo("a");
    assertThat(shown.containsHeader("accept")).isTrue();
    assertThat(shown.get("x-absent")).isNull();

    assertThat(counting.iterations).as("inbound headers iterated").hasValue(0);
  }

  @Test
  void theViewIsWorkedOutOnceHoweverOftenAsked() {
    HttpHeaders shown = shown();

    Set<String> names = Set.copyOf(shown.headerNames());
    int building = counting.iterations.get();
    for (int i = 0; i < 3; i++) {
      assertThat(shown.headerNames()).containsExactlyInAnyOrderElementsOf(names);
      assertThat(shown.getFirst("x-flag-checkout")).isEqualTo("v2");
      assertThat(shown.get("baggage")).containsExactly("userId=alice");
      shown.forEach((name, values) -> assertThat(values).isNotEmpty());
    }

    assertThat(building).as("iterations building the view").isPositive();
    assertThat(counting.iterations).as("inbound iterations after it").hasValue(building);
  }

  @Test
  void theViewIsReadOnlyLikeAnyInboundRequestsHeaders() {
    HttpHeaders shown = shown();

    assertThatThrownBy(() -> shown.set("x-flag-checkout", "v1")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> shown.add("x-added", "1")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> shown.remove("x-other")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> shown.headerNames().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(shown.getFirst("x-flag-checkout")).isEqualTo("v2");
  }

  /** Inbound headers, any case, that count how often they are iterated, name by name or entry by entry. */
  private static final class CountingHeaders extends MultiValueMapAdapter<String, String> {
    private final AtomicInteger iterations = new AtomicInteger();

    CountingHeaders() {
      super(new LinkedCaseInsensitiveMap<>(Locale.ENGLISH));
    }

    @Override
    public Set<String> keySet() {
      iterations.incrementAndGet();
      return super.keySet();
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
      iterations.incrementAndGet();
      return super.entrySet();
    }
  }
}
