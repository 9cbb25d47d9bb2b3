package dev.flagroute.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagroute.context.FlagScope;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.FlagRoute;
import dev.flagroute.routes.FlagRoutes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Lanes on a real broker: hand-back to the default version and the variant's return; configuration errors. */
@SuppressWarnings("try") // scopes are held, not read
class LaneConsumerTest {
  private final FlagRouter relay = TestFlags.relay();
  private final FlagRecords flagRecords = FlagRecords.builder(relay).build();
  private final CopyOnWriteArrayList<LaneRun.Processing> ledger = new CopyOnWriteArrayList<>();

  @Test
  void aVariantThatNeverRanIsHandedBackAndLaterStartsWhereTheDefaultVersionLeftIt() throws Exception {
    String topic = TestCluster.topic("lanes-absent", 2);
    String group = TestCluster.group("absent");
    try (Producer<String, String> producer = FlagProducer.builder(relay.codec()).wrap(FlagRecordsTest.newProducer())) {
      send(producer, topic, 0, 300);
      LaneRun v1 = new LaneRun(flagRecords, "v1", group, topic, ledger).start();
      await(() -> ledger.size() == 300);
      Map<TopicPartition, Long> ends = endOffsets(topic);
      await(() -> unchecked(() -> claimed(group + ".v2", topic).equals(ends)));
      v1.stop();
      assertThat(v1.lane().counts()).containsEntry("v1", new LaneCounts(100, 0, 0))
          .containsEntry("v2", new LaneCounts(0, 0, 100)).containsEntry("v3", new LaneCounts(0, 0, 100));

      LaneRun v2 = new LaneRun(flagRecords, "v2", group, topic, ledger).start();
      send(producer, topic, 300, 600);
      await(() -> v2.taken() == 100);
      v2.stop();
      assertThat(v2.lane().counts().get("v2")).isEqualTo(new LaneCounts(100, 0, 0));
      assertThat(v2.lane().counts().get("v1").skipped() + v2.lane().counts().get("v3").skipped()).isEqualTo(200);
    }
    Map<Integer, Long> processings = ledger.stream().collect(Collectors.groupingBy(LaneRun.Processing::id,
        Collectors.counting()));
    assertThat(processings).hasSize(400).allSatisfy((id, times) -> assertThat(times).as("record %d", id).isOne());
    assertThat(ledger).filteredOn(p -> p.id() >= 300).allSatisfy(p -> assertThat(p.version()).isEqualTo("v2"));
  }

  @Test
  void withKafkasConsumerGroupProtocolAVariantThatLeavesIsHandedBackAndComesBackWhereItWasLeft() throws Exception {
    String topic = TestCluster.topic("lanes-kip848", 2);
    String group = TestCluster.group("kip848");
    Map<String, Object> newProtocol = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    try (Producer<String, String> producer = FlagProducer.builder(relay.codec()).wrap(FlagRecordsTest.newProducer())) {
      LaneRun v1 = new LaneRun(flagRecords, "v1", group, topic, ledger, newProtocol).start();
      LaneRun v2 = new LaneRun(flagRecords, "v2", group, topic, ledger, newProtocol).start();
      LaneRun v3 = new LaneRun(flagRecords, "v3", group, topic, ledger, newProtocol).start();
      send(producer, topic, 0, 300);
      await(() -> ledger.size() == 300);
      v2.stop();
      send(producer, topic, 300, 600);
      await(() -> v1.lane().counts().get("v2").handedBack() == 100);
      Map<TopicPartition, Long> ends = endOffsets(topic);
      await(() -> unchecked(() -> claimed(group + ".v2", topic).equals(ends)));
      LaneRun v2Again = new LaneRun(flagRecords, "v2", group, topic, ledger, newProtocol).start();
      // until its group has a member again, v2's new records are still the default version's to take
      await(() -> unchecked(() -> !TestCluster.admin().describeConsumerGroups(List.of(group + ".v2")).all().get()
          .get(group + ".v2").members().isEmpty()));
      send(producer, topic, 600, 900);
      await(() -> v2Again.taken() == 100 && ledger.size() == 900,
          () -> "v2 again took " + v2Again.taken() + ", ledger " + ledger.size() + ", v1 " + v1.lane().counts()
              + ", v2 again " + v2Again.lane().counts() + ", v3 " + v3.lane().counts());
      v1.stop();
      v2Again.stop();
      v3.stop();
      assertThat(v1.lane().counts().get("v1")).isEqualTo(new LaneCounts(300, 0, 0));
      assertThat(v1.lane().counts().get("v2")).isEqualTo(new LaneCounts(0, 200, 100));
    }
    assertThat(ledger.stream().map(LaneRun.Processing::id).distinct().count()).as("each record once").isEqualTo(900);
  }

  @Test
  void aVariantThatDiesOnItsFirstPollBeforeProcessingIsHandedBackWithoutDuplicates() throws Exception {
    String topic = TestCluster.topic("lanes-first-poll", 2);
    String group = TestCluster.group("first-poll");
    try (Producer<String, String> producer = FlagProducer.builder(relay.codec()).wrap(FlagRecordsTest.newProducer())) {
      LaneRun v2 = new LaneRun(flagRecords, "v2", group, topic, ledger);
      v2.crashAfter(0);
      v2.start();
      LaneRun v1 = new LaneRun(flagRecords, "v1", group, topic, ledger).start();
      LaneRun v3 = new LaneRun(flagRecords, "v3", group, topic, ledger).start();
      send(producer, topic, 0, 300);
      await(() -> ledger.size() >= 300);
      v1.stop();
      v3.stop();
      assertThat(v2.crashed()).isTrue();
      assertThat(v2.taken()).isZero();
      assertThat(v1.lane().counts().get("v2")).isEqualTo(new LaneCounts(0, 0, 100));
    }
    assertThat(ledger).hasSize(300);
    assertThat(ledger.stream().map(LaneRun.Processing::id).distinct().count()).isEqualTo(300);
  }

  @Test
  void aVariantRunningOtherRoutesIsNotTrustedToHaveTakenItsRecords() throws Exception {
    FlagRoutes otherRoutes = FlagRoutes.of(FlagRoute.builder("lane").service(TestFlags.SERVICE)
        .variant("v1", "v1").variant("v2", "v2").variant("v3", "v3").variant("v2-beta", "v2")
        .defaultVariant("v1").build(), TestFlags.ROUTES.get("search"));
    FlagRecords otherRecords = FlagRecords.builder(FlagRouter.builder(otherRoutes).mode(RoutingMode.RELAY).build()).build();
    String topic = TestCluster.topic("lanes-foreign", 2);
    String group = TestCluster.group("foreign");
    try (Producer<String, String> producer = FlagProducer.builder(relay.codec()).wrap(FlagRecordsTest.newProducer())) {
      LaneRun v2 = new LaneRun(otherRecords, "v2", group, topic, ledger).start();
      LaneRun v1 = new LaneRun(flagRecords, "v1", group, topic, ledger).start();
      send(producer, topic, 0, 300);
      await(() -> v1.lane().counts().get("v2").handedBack() == 100 && v2.taken() == 100);
      v1.stop();
      v2.stop();
      assertThat(v1.lane().counts().get("v2")).as("all of v2's records, v2 being untrusted").isEqualTo(new LaneCounts(0, 0, 100));
    }
    assertThat(ledger.stream().map(LaneRun.Processing::id).distinct().count()).as("nothing lost").isEqualTo(300);
  }

  @Test
  void lanesSetTheirOwnGroupCommitAndResetPolicyAndSayWhy() {
    Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"));
    for (var wrong : List.of(Map.entry(ConsumerConfig.GROUP_ID_CONFIG, "mine"),
        Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true"),
        Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))) {
      Map<String, Object> bad = new HashMap<>(config);
      bad.put(wrong.getKey(), wrong.getValue());
      assertThatThrownBy(() -> LaneConsumer.builder(flagRecords, TestFlags.SERVICE, "v2").consumerConfig(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(wrong.getKey());
    }
    assertThatThrownBy(() -> LaneConsumer.builder(flagRecords, TestFlags.SERVICE, "v9"))
        .hasMessageContaining("no version 'v9'").hasMessageContaining("[v1, v2, v3]");
    assertThatThrownBy(() -> LaneConsumer.builder(flagRecords, "nowhere", "v1")).hasMessageContaining("no service");
    assertThatThrownBy(() -> LaneConsumer.builder(flagRecords, TestFlags.SERVICE, "v1").consumerConfig(config)
        .build(new StringDeserializer(), new StringDeserializer())).hasMessageContaining("groupPrefix");
    FlagRecords edge = FlagRecords.builder(relay).topicRouter("signups", TestFlags.edge()).build();
    assertThatThrownBy(() -> LaneConsumer.builder(edge, TestFlags.SERVICE, "v1").consumerConfig(config)
        .groupPrefix("g").topics("signups").build(new StringDeserializer(), new StringDeserializer()))
        .hasMessageContaining("'signups' is read by an edge router");
  }

  private static void send(Producer<String, String> producer, String topic, int from, int to) throws Exception {
    for (int id = from; id < to; id++) {
      try (FlagScope ignored = TestFlags.lane("v" + (id % 3 + 1)).makeCurrent()) {
        producer.send(new ProducerRecord<>(topic, Integer.toString(id), "payload"));
      }
    }
    producer.flush();
  }

  private static Map<TopicPartition, Long> claimed(String group, String topic) throws Exception {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : TestCluster.admin().listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get().entrySet()) {
      if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
        offsets.put(entry.getKey(), entry.getValue().offset());
      }
    }
    return offsets;
  }

  private static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int partition = 0; partition < 2; partition++) {
      latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    TestCluster.admin().listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
    return ends;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    await(condition, () -> "");
  }

  private static void await(BooleanSupplier condition, java.util.function.Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + TestCluster.patience().toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + TestCluster.patience() + ": " + state.get());
      }
      Thread.sleep(20);
    }
  }

  private static boolean unchecked(Check check) {
    try {
      return check.test();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Check {
    boolean test() throws Exception;
  }
}
