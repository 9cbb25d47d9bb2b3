package dev.flagroute.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Record headers written by anyone: reading them never fails and yields only declared variants;
 * stamping replaces every flag header (in any case) and the shadow marker, keeps the rest in order,
 * and reads back as exactly the stamped context; for each of the three codecs.
 */
class RecordHeadersTest {
  private static final List<String> NAMES = List.of("x-flag-lane", "x-flag-search", "x-flags", "baggage",
      "x-flagroute-shadow", "x-flagroute-override", "traceparent", "content-type");

  /**
   * Hostile record headers never fail a read: each flag is a declared variant, or a well-formed one
   * its routes do not list, carried on as received with reason {@code UNKNOWN_VARIANT} (an earlier
   * hop may run newer routes).
   */
  @Property(tries = 300)
  void hostileHeadersReadAsDeclaredOrCarriedVariantsNeverAsAFailure(@ForAll("codecs") HeaderCodec codec,
      @ForAll("hostileHeaders") List<Header> headers) {
    FlagRouter relay = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).codec(codec).build();
    ConsumerRecord<String, String> record = new ConsumerRecord<>("t", 0, 0L, "k", "v");
    headers.forEach(record.headers()::add);

    FlagContext flags = FlagRecords.builder(relay).build().flags(record);

    assertThat(flags.size()).isEqualTo(TestFlags.ROUTES.size());
    flags.forEach((route, decision) -> assertThat(route.hasVariant(decision.variant())
        || decision.isUnknownVariant()).as("%s = %s", route.key(), decision).isTrue());
  }

  /** Header names match in any ASCII case, and only so: no other character folds onto a flag header's name. */
  @Example
  void namesMatchInAsciiCaseOnly() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("X-Flag-LANE", "v2".getBytes(StandardCharsets.UTF_8));
    headers.add("x-flag-\u017fearch", "on".getBytes(StandardCharsets.UTF_8)); // a long s, which Java folds onto 's'
    headers.add("x-flag-\u212aind", "v2".getBytes(StandardCharsets.UTF_8)); // the Kelvin sign
    headers.add("x-flag-l\u0131ne", "v2".getBytes(StandardCharsets.UTF_8)); // a dotless i

    assertThat(KafkaHeaders.GETTER.get(headers, "x-flag-lane")).isEqualTo("v2");
    assertThat(KafkaHeaders.GETTER.get(headers, "x-flag-search")).isNull();
    assertThat(KafkaHeaders.GETTER.get(headers, "x-flag-kind")).isNull();
    assertThat(KafkaHeaders.GETTER.get(headers, "x-flag-line")).isNull();
  }

  @Property(tries = 300)
  void stampingReplacesEveryFlagHeaderAndReadsBackAsTheContext(@ForAll("codecs") HeaderCodec codec,
      @ForAll("hostileHeaders") List<Header> headers, @ForAll("lanes") String lane, @ForAll boolean searchOn,
      @ForAll boolean shadow) {
    FlagRouter relay = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).codec(codec).build();
    FlagContext sent = FlagContext.builder(TestFlags.ROUTES).relayed("lane", lane)
        .relayed("search", searchOn ? "on" : "off").shadow(shadow).build();
    ProducerRecord<String, String> record = new ProducerRecord<>("t", "k", "v");
    headers.forEach(record.headers()::add);
    List<String> others = new ArrayList<>();
    for (Header header : headers) {
      if (!relay.codec().strips(header.key())) {
        others.add(header.key());
      }
    }

    ProducerRecord<String, String> stamped = FlagProducerInterceptor.stamp(relay.codec(), sent, record);
    ConsumerRecord<String, String> received = new ConsumerRecord<>("t", 0, 0L, "k", "v");
    stamped.headers().forEach(received.headers()::add);
    FlagContext read = FlagRecords.builder(relay).build().flags(received);

    assertThat(read.variants()).isEqualTo(sent.variants());
    assertThat(read.isShadow()).isEqualTo(shadow);
    List<String> kept = new ArrayList<>();
    for (Header header : stamped.headers()) {
      if (!relay.codec().strips(header.key())) {
        kept.add(header.key());
      }
    }
    assertThat(kept).isEqualTo(others);
  }

  @Example
  void aRepeatedHeaderReadsAsItsValuesJoinedAsHttpJoinsThem() {
    FlagRouter relay = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).codec(HeaderCodec.combined()).build();
    ConsumerRecord<String, String> record = new ConsumerRecord<>("t", 0, 0L, "k", "v");
    record.headers().add("x-flags", "lane=v2".getBytes(StandardCharsets.UTF_8));
    record.headers().add("X-Flags", "search=on".getBytes(StandardCharsets.UTF_8));

    assertThat(FlagRecords.builder(relay).build().flags(record).variantSummary()).isEqualTo("lane=v2,search=on");
  }

  @Example
  void aRecordSentBeforeIsStampedAsACopyLeavingItsReadOnlyHeadersAlone() {
    FlagRouter relay = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).build();
    ProducerRecord<String, String> sentBefore = new ProducerRecord<>("t", 1, 7L, "k", "v");
    sentBefore.headers().add("x-flag-lane", "v3".getBytes(StandardCharsets.UTF_8));
    ((org.apache.kafka.common.header.internals.RecordHeaders) sentBefore.headers()).setReadOnly();

    ProducerRecord<String, String> stamped = FlagProducerInterceptor.stamp(relay.codec(), TestFlags.lane("v2"), sentBefore);

    assertThat(stamped).isNotSameAs(sentBefore);
    assertThat(List.of(stamped.topic(), stamped.partition(), stamped.timestamp(), stamped.key(), stamped.value()))
        .containsExactly("t", 1, 7L, "k", "v");
    assertThat(new String(stamped.headers().lastHeader("x-flag-lane").value(), StandardCharsets.UTF_8)).isEqualTo("v2");
    assertThat(new String(sentBefore.headers().lastHeader("x-flag-lane").value(), StandardCharsets.UTF_8)).isEqualTo("v3");
  }

  /** A name the codec writes twice (two carried keys that differ in case only) ends as one header, the last. */
  @Example
  void aNameWrittenTwiceInOneStampEndsAsOneHeader() {
    FlagRouter relay = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).build();
    FlagContext flags = FlagContext.builder(TestFlags.ROUTES).relayed("lane", "v2").carry("exp", "a")
        .carry("EXP", "b").build();
    ProducerRecord<String, String> record = new ProducerRecord<>("t", "k", "v");
    record.headers().add("traceparent", "00-1".getBytes(StandardCharsets.UTF_8));

    FlagProducerInterceptor.stamp(relay.codec(), flags, record);

    List<String> keys = new ArrayList<>();
    record.headers().forEach(header -> keys.add(header.key()));
    assertThat(keys).containsExactly("traceparent", "x-flag-lane", "x-flag-exp");
    assertThat(new String(record.headers().lastHeader("x-flag-exp").value(), StandardCharsets.UTF_8)).isEqualTo("b");
  }

  /**
   * Each record gets value arrays of its own: Kafka hands a header's array to whoever holds the
   * record, and a change through one record must not reach the flags of the next.
   */
  @Example
  void stampedRecordsShareNoValueArray() {
    FlagRouter relay = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY).build();
    ProducerRecord<String, String> first = FlagProducerInterceptor.stamp(relay.codec(), TestFlags.lane("v2"),
        new ProducerRecord<>("t", "k", "v"));
    first.headers().lastHeader("x-flag-lane").value()[1] = '3';

    ProducerRecord<String, String> second = FlagProducerInterceptor.stamp(relay.codec(), TestFlags.lane("v2"),
        new ProducerRecord<>("t", "k", "v"));

    assertThat(new String(second.headers().lastHeader("x-flag-lane").value(), StandardCharsets.UTF_8)).isEqualTo("v2");
  }

  @Provide
  Arbitrary<HeaderCodec> codecs() {
    return Arbitraries.of(HeaderCodec.perFlag(), HeaderCodec.combined(), HeaderCodec.baggage());
  }

  @Provide
  Arbitrary<String> lanes() {
    return Arbitraries.of("v1", "v2", "v3");
  }

  @Provide
  Arbitrary<List<Header>> hostileHeaders() {
    Arbitrary<String> names = Arbitraries.oneOf(
        Arbitraries.of(NAMES).flatMap(name -> Arbitraries.of(name, name.toUpperCase(Locale.ROOT),
            Character.toUpperCase(name.charAt(0)) + name.substring(1))),
        Arbitraries.strings().ofMaxLength(20));
    Arbitrary<byte[]> values = Arbitraries.oneOf(
        Arbitraries.of("v1", "v2", "v3", "on", "off", "1", "true", "lane=v2,search=on", "flag.lane=v3", "zz", "")
            .map(text -> text.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.strings().ofMaxLength(300).map(text -> text.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
        Arbitraries.just(null));
    return Combinators.combine(names, values).as(RecordHeader::new).map(Header.class::cast).list().ofMaxSize(12);
  }
}
