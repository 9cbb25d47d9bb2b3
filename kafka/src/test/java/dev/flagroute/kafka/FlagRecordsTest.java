package dev.flagroute.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.router.FlagRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Stamping on send and relaying on receive, through a real broker. */
@SuppressWarnings("try") // scopes are held, not read
class FlagRecordsTest {
  private final FlagRouter relay = TestFlags.relay();

  @Test
  void flagsTravelFromTheSendersContextToTheProcessingOfTheRecord() throws Exception {
    String topic = TestCluster.topic("relay", 2);
    FlagProducer.Builder stamping = FlagProducer.builder(relay.codec());
    try (Producer<String, String> producer = stamping.wrap(newProducer())) {
      for (String version : List.of("v1", "v2", "v3")) {
        try (FlagScope ignored = TestFlags.lane(version).makeCurrent()) {
          producer.send(new ProducerRecord<>(topic, version, "sent in " + version)).get();
        }
      }
      producer.send(new ProducerRecord<>(topic, "none", "sent outside any context")).get();
    }

    FlagRecords records = FlagRecords.builder(relay).build();
    Map<String, String> seen = new HashMap<>();
    for (ConsumerRecord<String, String> record : consumeAll(topic, 4)) {
      records.process(record, r -> seen.put(r.key(), FlagContext.current().variantSummary()));
      assertThat(FlagContext.current().isEmpty()).as("nothing stays current after processing").isTrue();
    }
    assertThat(seen).containsEntry("v1", "lane=v1,search=on").containsEntry("v2", "lane=v2,search=on")
        .containsEntry("v3", "lane=v3,search=on").containsEntry("none", "lane=v1,search=off");
  }

  @Test
  void manyThreadsSendingInTheirOwnContextsThroughOneProducerNeverMixTheirFlags() throws Exception {
    String topic = TestCluster.topic("threads", 3);
    int threads = 8;
    int perThread = 250;
    List<String> versions = List.of("v1", "v2", "v3");
    try (Producer<String, String> producer = FlagProducer.builder(relay.codec()).wrap(newProducer())) {
      List<Thread> senders = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        senders.add(new Thread(() -> {
          try {
            for (int i = 0; i < perThread; i++) {
              String version = versions.get((thread + i) % 3);
              if (i % 7 == 0) {
                producer.send(new ProducerRecord<>(topic, "none", "x"));
                continue;
              }
              try (FlagScope ignored = TestFlags.lane(version).makeCurrent()) {
                producer.send(new ProducerRecord<>(topic, version, "x"));
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      senders.forEach(Thread::start);
      for (Thread sender : senders) {
        sender.join();
      }
      assertThat(failures).isEmpty();
      producer.flush();
    }
    FlagRecords records = FlagRecords.builder(relay).build();
    for (ConsumerRecord<String, String> record : consumeAll(topic, threads * perThread)) {
      String expected = record.key().equals("none") ? "lane=v1,search=off" : "lane=" + record.key() + ",search=on";
      records.process(record, r -> assertThat(FlagContext.current().variantSummary()).isEqualTo(expected));
    }
  }

  @Test
  void theInterceptorConfiguredByClassNameStampsAndReplacesHandSetFlagHeaders() throws Exception {
    String topic = TestCluster.topic("interceptor", 1);
    Map<String, Object> config = TestCluster.producerConfig();
    config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, FlagProducerInterceptor.class.getName());
    config.put(FlagProducerInterceptor.ROUTER_CONFIG, relay);
    try (Producer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        FlagScope ignored = TestFlags.lane("v2").makeCurrent()) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, "k", "v");
      record.headers().add("X-Flag-Lane", "v3".getBytes(StandardCharsets.UTF_8));
      record.headers().add("x-flagroute-override", "a bearer token".getBytes(StandardCharsets.UTF_8));
      record.headers().add("trace", "kept".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
    ConsumerRecord<String, String> received = consumeAll(topic, 1).get(0);
    Map<String, List<String>> headers = new HashMap<>();
    for (Header header : received.headers()) {
      headers.computeIfAbsent(header.key(), k -> new ArrayList<>()).add(new String(header.value(), StandardCharsets.UTF_8));
    }
    assertThat(headers).containsOnly(Map.entry("x-flag-lane", List.of("v2")), Map.entry("x-flag-search", List.of("on")),
        Map.entry("trace", List.of("kept")));
  }

  @Test
  void anInterceptorWithoutRouterOrCodecSaysWhatItNeeds() {
    Map<String, Object> config = TestCluster.producerConfig();
    config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, FlagProducerInterceptor.class.getName());
    assertThatThrownBy(() -> new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()).close())
        .hasStackTraceContaining("flagroute.router").hasStackTraceContaining("flagroute.codec");
  }

  @Test
  void shadowSendsAreSkippedAndCountedUnlessTheApplicationAsks() throws Exception {
    String topic = TestCluster.topic("shadow", 1);
    FlagContext shadow = TestFlags.lane("v2").asShadow();
    FlagProducer.Builder skipping = FlagProducer.builder(relay.codec());
    FlagProducer.Builder sending = FlagProducer.builder(relay.codec()).sendShadows(true);
    List<RecordMetadata> called = new ArrayList<>();
    try (FlagProducer<String, String> skipper = skipping.wrap(newProducer());
        FlagProducer<String, String> sender = sending.wrap(newProducer());
        FlagScope ignored = shadow.makeCurrent()) {
      RecordMetadata skipped = skipper.send(new ProducerRecord<>(topic, "skipped", "x"), (m, e) -> called.add(m))
          .get(1, TimeUnit.MINUTES);
      assertThat(skipped.hasOffset()).isFalse();
      assertThat(called).containsExactly(skipped);
      assertThat(skipper.shadowSendsSkipped()).isOne();
      assertThat(skipping.shadowSendsSkipped()).isOne();
      assertThat(sender.send(new ProducerRecord<>(topic, "sent", "x")).get().hasOffset()).isTrue();
      assertThat(sending.shadowSendsSkipped()).isZero();
    }

    List<ConsumerRecord<String, String>> received = consumeAll(topic, 1);
    assertThat(received).extracting(ConsumerRecord::key).containsExactly("sent");
    FlagContext relayed = FlagRecords.builder(relay).build().flags(received.get(0));
    assertThat(relayed.isShadow()).as("the consumer of a shadow send is in a shadow too").isTrue();
    assertThat(relayed.variant("lane")).isEqualTo("v2");
  }

  @Test
  void recordsOfAnUntrustedTopicAreDecidedAtTheEdgeNotTakenFromTheirHeaders() throws Exception {
    String trusted = TestCluster.topic("trusted", 1);
    String untrusted = TestCluster.topic("signups", 1);
    try (Producer<String, String> producer = newProducer()) {
      for (String topic : List.of(trusted, untrusted)) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, "user-1", "x");
        record.headers().add("x-flag-lane", "v2".getBytes(StandardCharsets.UTF_8));
        record.headers().add("x-flagroute-shadow", "1".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
      }
    }
    FlagRecords records = FlagRecords.builder(relay).topicRouter(untrusted, TestFlags.edge()).build();

    FlagContext fromTrusted = records.flags(consumeAll(trusted, 1).get(0));
    FlagContext fromUntrusted = records.flags(consumeAll(untrusted, 1).get(0));

    assertThat(fromTrusted.variants()).containsEntry("lane", "v2");
    assertThat(fromTrusted.isShadow()).isTrue();
    assertThat(fromUntrusted.variants()).containsEntry("lane", "v3").containsEntry("search", "on");
    assertThat(fromUntrusted.isShadow()).as("a client cannot make its record a shadow").isFalse();
  }

  @Test
  void malformedFlagHeadersAreDroppedNotFatal() throws Exception {
    String topic = TestCluster.topic("hostile", 1);
    try (Producer<String, String> producer = newProducer()) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, "k", "x");
      record.headers().add("x-flag-lane", new byte[] {(byte) 0xff, 0, 10, 13});
      record.headers().add("x-flag-search", null);
      record.headers().add("x-flag-search", "on".repeat(10_000).getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
    FlagRecords records = FlagRecords.builder(relay).build();
    List<String> seen = new ArrayList<>();
    records.process(consumeAll(topic, 1).get(0), r -> seen.add(FlagContext.current().variantSummary()));
    assertThat(seen).containsExactly("lane=v1,search=off");
  }

  @Test
  void aHandlersCheckedExceptionIsWrappedWithTheRecordsPositionAndTheContextIsRestored() throws Exception {
    String topic = TestCluster.topic("failing", 1);
    try (Producer<String, String> producer = FlagProducer.builder(relay.codec()).wrap(newProducer());
        FlagScope ignored = TestFlags.lane("v3").makeCurrent()) {
      producer.send(new ProducerRecord<>(topic, "k", "x")).get();
    }
    ConsumerRecord<String, String> record = consumeAll(topic, 1).get(0);
    assertThatThrownBy(() -> FlagRecords.builder(relay).build().process(record, r -> {
      throw new java.io.IOException("disk full");
    })).isInstanceOf(RecordProcessingException.class).hasMessageContaining(topic + "-0@0")
        .hasRootCauseMessage("disk full");
    assertThat(FlagContext.current().isEmpty()).isTrue();
  }

  static KafkaProducer<String, String> newProducer() {
    return new KafkaProducer<>(TestCluster.producerConfig(), new StringSerializer(), new StringSerializer());
  }

  static List<ConsumerRecord<String, String>> consumeAll(String topic, int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    Map<String, Object> config = TestCluster.consumerConfig(TestCluster.group("reader"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.assign(consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList());
      consumer.seekToBeginning(consumer.assignment());
      long deadline = System.nanoTime() + TestCluster.patience().toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertThat(records).as("records of %s", topic).hasSize(count);
    return records;
  }
}
