package dev.flagroute.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.codec.HeaderSetter;
import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoutes;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A relay whose routes define none of the flags a record carries (a team that adopted flagroute to
 * pass flags on before routing any of its own) stamps them all, unchanged, on the records it sends,
 * replacing flag headers set by hand, in each of the three codecs.
 */
class CarriedFlagsRecordsTest {
  private static final Map<String, String> UPSTREAM = new LinkedHashMap<>(Map.of("payment", "v2"));

  static {
    UPSTREAM.put("ratings-model", "neural");
  }

  @Example
  void aRelayWithoutRoutesForwardsWhatARecordCarried() {
    for (HeaderCodec codec : List.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage())) {
      FlagRouter relay = FlagRouter.builder(FlagRoutes.empty()).mode(RoutingMode.RELAY).codec(codec).build();
      ConsumerRecord<String, String> consumed = new ConsumerRecord<>("in", 0, 0L, "k", "v");
      headers(codec, UPSTREAM).forEach((name, value) -> consumed.headers().add(name, bytes(value)));
      FlagContext carrying = FlagRecords.builder(relay).build().flags(consumed);
      assertThat(carrying.isEmpty()).as("nothing routed").isTrue();
      ProducerRecord<String, String> produced = new ProducerRecord<>("out", "k", "v");
      headers(codec, Map.of("payment", "v9")).forEach((name, value) -> produced.headers().add(name, bytes(value)));
      produced.headers().add("traceparent", bytes("00-1-2-01"));

      ProducerRecord<String, String> stamped = FlagProducerInterceptor.stamp(relay.codec(), carrying, produced);

      ConsumerRecord<String, String> next = new ConsumerRecord<>("out", 0, 0L, "k", "v");
      stamped.headers().forEach(next.headers()::add);
      assertThat(FlagRecords.builder(relay).build().flags(next).carried()).as("%s", codec).isEqualTo(UPSTREAM);
      assertThat(next.headers().lastHeader("traceparent")).isNotNull();
    }
  }

  /** The headers an upstream hop stamps for {@code carried}. */
  private static Map<String, String> headers(HeaderCodec codec, Map<String, String> carried) {
    FlagContext.Builder upstream = FlagContext.builder(FlagRoutes.empty());
    carried.forEach(upstream::carry);
    Map<String, String> stamped = new LinkedHashMap<>();
    codec.inject(upstream.build(), stamped, HeaderSetter.forMap());
    return stamped;
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
