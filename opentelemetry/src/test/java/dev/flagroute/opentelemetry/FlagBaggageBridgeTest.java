package dev.flagroute.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.context.Source;
import dev.flagroute.observe.RoutingCounters;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

class FlagBaggageBridgeTest {
  private static final FlagContext FLAGS = FlagContext.builder(Shop.ROUTES).relayed("new-reviews", "redesign")
      .relayed("ratings-model", "ml").build();

  @Test
  void flagsBecomeEntriesBesideOthersAndReplaceStaleOnes() {
    Baggage base = Baggage.builder().put("tenant", "acme").put("flag.new-reviews", "stable").put("FLAG.old", "x")
        .build();

    Baggage baggage = FlagBaggageBridge.standard().put(base, FLAGS);

    assertThat(baggage.asMap().keySet()).containsExactlyInAnyOrder("tenant", "flag.new-reviews", "flag.ratings-model");
    assertThat(baggage.getEntryValue("flag.new-reviews")).isEqualTo("redesign");
    assertThat(FlagBaggageBridge.withPrefix("FR.").put(Baggage.empty(), FLAGS).getEntryValue("fr.ratings-model"))
        .isEqualTo("ml");
  }

  @Test
  void aRelayReadsTheFlagsBackFromTheCurrentBaggage() {
    FlagRouter relay = FlagRouter.builder(Shop.ROUTES).mode(RoutingMode.RELAY).codec(HeaderCodec.baggage()).build();
    try (Scope ignored = FlagBaggageBridge.standard().makeCurrent(FLAGS)) {
      FlagContext read = relay.route(Baggage.current(), FlagBaggageBridge.standard().getter());

      assertThat(read.variants()).isEqualTo(FLAGS.variants());
      assertThat(read.decision("new-reviews").source()).isEqualTo(Source.RELAYED);
    }
    assertThat(Baggage.current().isEmpty()).as("the scope restored the baggage").isTrue();
  }

  /** A relay whose routes define none of the flags it received hands them all on as entries. */
  @Test
  void carriedFlagsBecomeEntriesToo() {
    FlagRouter relay = FlagRouter.builder(FlagRoutes.empty()).mode(RoutingMode.RELAY).codec(HeaderCodec.baggage())
        .build();
    Baggage inbound = Baggage.builder().put("flag.payment", "v2").put("flag.new-reviews", "redesign").build();
    FlagContext carrying = relay.route(inbound, FlagBaggageBridge.standard().getter());

    Baggage baggage = FlagBaggageBridge.standard().put(Baggage.builder().put("flag.payment", "v9").build(), carrying);

    assertThat(baggage.asMap().keySet()).containsExactlyInAnyOrder("flag.payment", "flag.new-reviews");
    assertThat(relay.route(baggage, FlagBaggageBridge.standard().getter()).carried())
        .isEqualTo(carrying.carried()).containsEntry("payment", "v2");
  }

  @Test
  void illegalEntriesAreDroppedAndUnknownVariantsCarriedByTheRouter() {
    RoutingCounters counters = new RoutingCounters();
    FlagRouter relay = FlagRouter.builder(Shop.ROUTES).mode(RoutingMode.RELAY).codec(HeaderCodec.baggage())
        .listener(counters).build();
    Baggage hostile = Baggage.builder().put("flag.new-reviews", "redesign,flag.ratings-model=ml")
        .put("flag.ratings-model", "v9").put("other", "kept").build();

    FlagContext read = relay.route(hostile, FlagBaggageBridge.standard().getter());

    assertThat(read.variant("new-reviews")).isEqualTo("stable");
    assertThat(read.variant("ratings-model")).isEqualTo("v9");
    assertThat(read.decision("ratings-model").isUnknownVariant()).isTrue();
    assertThat(counters.unknownVariants()).isEqualTo(1);
    assertThat(counters.dropped()).isEqualTo(1);
    assertThat(FlagBaggageBridge.standard().getter().get(Baggage.empty(), "baggage")).isNull();
    assertThat(FlagBaggageBridge.standard().getter().get(hostile, "x-flag-new-reviews")).isNull();
  }

  @Test
  void prefixesAreTokens() {
    assertThatThrownBy(() -> FlagBaggageBridge.withPrefix("flag =")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baggage member prefix");
  }
}
