package dev.flagroute.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.routes.FlagRoutes;
import dev.flagroute.support.TestRoutes;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** What a context carries without routing: immutable, validated, kept by every derived copy. */
class CarriedFlagsTest {
  private final FlagContext carrying = FlagContext.builder(TestRoutes.ROUTES).relayed("checkout", "v2")
      .carry("ratings-model", "neural").carry("payment", "v3").build();

  @Test
  void carriedFlagsAreKeptInOrderApartFromTheRoutedOnes() {
    assertThat(carrying.carried()).containsExactly(Map.entry("ratings-model", "neural"), Map.entry("payment", "v3"));
    assertThat(carrying.decision("ratings-model")).isNull();
    assertThat(carrying.size()).isEqualTo(1);
    assertThat(carrying.toString()).contains("carried {ratings-model=neural, payment=v3}");
  }

  /** {@code isEmpty()} counts routed decisions; a context that only carries flags still has something to stamp. */
  @Test
  void aContextThatOnlyCarriesFlagsIsEmptyButHasSomethingToStamp() {
    FlagContext carriedOnly = FlagContext.builder(FlagRoutes.empty()).carry("payment", "v3").build();

    assertThat(carriedOnly.isEmpty()).isTrue();
    assertThat(carriedOnly.hasNothingToStamp()).isFalse();
    assertThat(carrying.hasNothingToStamp()).isFalse();
    assertThat(FlagContext.empty().hasNothingToStamp()).isTrue();
    assertThat(FlagContext.empty().asShadow().hasNothingToStamp()).isTrue();
    assertThat(FlagContext.builder(TestRoutes.ROUTES).build().hasNothingToStamp()).isTrue();
  }

  @Test
  void theCarriedMapCannotBeChanged() {
    assertThatThrownBy(() -> carrying.carried().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(FlagContext.empty().carried()).isEmpty();
  }

  @Test
  void theCarriedMapIsAMapLikeAnyOther() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("ratings-model", "neural");
    expected.put("payment", "v3");
    Map<String, String> carried = carrying.carried();

    assertThat(carried).isEqualTo(expected).hasSameHashCodeAs(expected).hasToString(expected.toString());
    assertThat(expected).isEqualTo(carried);
    assertThat(carried.get("payment")).isEqualTo("v3");
    assertThat(carried.get("Payment")).isNull();
    assertThat(carried.containsKey("ratings-model")).isTrue();
    assertThat(carried.containsValue("neural")).isTrue();
    assertThat(carried.keySet()).containsExactly("ratings-model", "payment");
    Iterator<Map.Entry<String, String>> entries = carried.entrySet().iterator();
    entries.next();
    assertThatThrownBy(entries::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> entries.next().setValue("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(entries::next).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> carried.remove("payment")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(carrying.carried()).containsExactly(Map.entry("ratings-model", "neural"), Map.entry("payment", "v3"));
  }

  @Test
  void derivedContextsKeepWhatIsCarriedAndEqualityCountsIt() {
    assertThat(carrying.asShadow().carried()).isEqualTo(carrying.carried());
    assertThat(carrying.toBuilder().build()).isEqualTo(carrying).hasSameHashCodeAs(carrying);
    FlagContext without = FlagContext.builder(TestRoutes.ROUTES).relayed("checkout", "v2").build();
    assertThat(without).isNotEqualTo(carrying);
  }

  @Test
  void theFirstVariantOfACarriedFlagCounts() {
    FlagContext twice = FlagContext.builder(TestRoutes.ROUTES).carry("payment", "v3").carry("payment", "v4").build();

    assertThat(twice.carried()).containsExactly(Map.entry("payment", "v3"));
  }

  @Test
  void refusesIllegalKeysAndVariantsAndKeysOfRoutes() {
    FlagContext.Builder builder = FlagContext.builder(TestRoutes.ROUTES);

    assertThatThrownBy(() -> builder.carry("Checkout", "v2")).hasMessageContaining("no route defines");
    assertThatThrownBy(() -> builder.carry("pay_ment", "v2")).hasMessageContaining("legal flag key");
    assertThatThrownBy(() -> builder.carry("k".repeat(64), "v2")).hasMessageContaining("legal flag key");
    assertThatThrownBy(() -> builder.carry("payment", "v 2")).hasMessageContaining("no legal variant");
    assertThatThrownBy(() -> builder.carry("payment", null)).hasMessageContaining("no legal variant");
  }

  @Test
  void anUnknownVariantIsARelayedOneWithItsOwnReason() {
    FlagDecision unknown = new FlagDecision("v3", Source.RELAYED, FlagDecision.UNKNOWN_VARIANT);
    FlagContext flags = FlagContext.builder(TestRoutes.ROUTES).put("checkout", unknown).build();

    assertThat(flags.variant("checkout")).isEqualTo("v3");
    assertThat(flags.decision("checkout").isUnknownVariant()).isTrue();
    assertThat(new FlagDecision("v3", Source.RELAYED, FlagDecision.RELAYED).isUnknownVariant()).isFalse();
    assertThatThrownBy(() -> FlagContext.builder(TestRoutes.ROUTES).put("checkout",
        new FlagDecision("v2", Source.RELAYED, FlagDecision.UNKNOWN_VARIANT))).hasMessageContaining("no unknown");
    assertThatThrownBy(() -> FlagContext.builder(TestRoutes.ROUTES).put("checkout",
        new FlagDecision("v 3", Source.RELAYED, FlagDecision.UNKNOWN_VARIANT))).hasMessageContaining("no unknown");
    assertThatThrownBy(() -> FlagContext.builder(TestRoutes.ROUTES).relayed("checkout", "v3"))
        .hasMessageContaining("no variant 'v3'");
  }
}
