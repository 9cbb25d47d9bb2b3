package dev.flagroute.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.router.FlagRouter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * 10,000 records over three versions of one service (v1 the default, v2, v3) on a real broker,
 * while v2 crashes for good and v3 crashes and comes back, each after processing part of a poll
 * and before committing it. Counts lost records (never processed), records processed by a version
 * other than the one they route to while that version was up, and duplicates.
 */
@SuppressWarnings("try") // scopes are held, not read
class LaneLoadTest {
  private static final int RECORDS = 10_000;
  private static final int PARTITIONS = 3;

  private final FlagRouter relay = TestFlags.relay();
  private final FlagRecords flagRecords = FlagRecords.builder(relay).build();
  private final CopyOnWriteArrayList<LaneRun.Processing> ledger = new CopyOnWriteArrayList<>();

  @Test
  void noRecordIsLostWhenVariantsCrashAndComeBack() throws Exception {
    String topic = TestCluster.topic("lanes-load", PARTITIONS);
    String group = TestCluster.group("load");
    FlagProducer.Builder stamping = FlagProducer.builder(relay.codec());
    try (Producer<String, String> producer = stamping.wrap(FlagRecordsTest.newProducer())) {
      send(producer, topic, 0, 4_000);
      LaneRun v1 = new LaneRun(flagRecords, "v1", group, topic, ledger).start();
      LaneRun v2 = new LaneRun(flagRecords, "v2", group, topic, ledger).start();
      LaneRun v3 = new LaneRun(flagRecords, "v3", group, topic, ledger).start();
      v2.crashAfter(500);
      v3.crashAfter(800);
      await(() -> v2.crashed() && v3.crashed());
      send(producer, topic, 4_000, 7_000);
      await(() -> v1.lane().counts().get("v3").handedBack() > 0);
      long v3Down = v3.crashedAt();
      long v3HandedBackAt = firstHandBack("v3", v3Down);
      LaneRun v3Again = new LaneRun(flagRecords, "v3", group, topic, ledger).start();
      long v3Up = System.nanoTime();
      send(producer, topic, 7_000, RECORDS);
      await(() -> processedIds().size() == RECORDS);
      await(() -> v3Again.taken() > 0);
      v1.stop();
      v3Again.stop();

      Map<Integer, List<LaneRun.Processing>> byId = new HashMap<>();
      ledger.forEach(p -> byId.computeIfAbsent(p.id(), id -> new ArrayList<>()).add(p));
      int lost = RECORDS - byId.size();
      int duplicates = ledger.size() - byId.size();
      int wrong = 0;
      for (LaneRun.Processing p : ledger) {
        String target = target(p.id());
        boolean targetUp = switch (target) {
          case "v1" -> true;
          case "v2" -> p.nanos() < v2.crashedAt();
          default -> p.nanos() < v3Down || p.nanos() > v3Up;
        };
        if (!p.version().equals(target) && targetUp) {
          wrong++;
        }
      }
      long v2Detection = firstHandBack("v2", v2.crashedAt()) - v2.crashedAt();
      long v3Detection = v3HandedBackAt - v3Down;
      int uncommitted = v2.uncommittedAtCrash() + v3.uncommittedAtCrash();
      System.out.printf("lanes: %d records, lost %d, wrong version %d, duplicates %d (uncommitted at the crashes: %d),"
              + " detection v2 %d ms, v3 %d ms; v1 %s, v3 after restart %s, skipped sends %d%n",
          RECORDS, lost, wrong, duplicates, uncommitted, TimeUnit.NANOSECONDS.toMillis(v2Detection),
          TimeUnit.NANOSECONDS.toMillis(v3Detection), v1.lane().counts(), v3Again.lane().counts(),
          stamping.shadowSendsSkipped());

      assertThat(lost).as("records never processed").isZero();
      assertThat(wrong).as("records processed by another version while theirs was up: at most the hand-back"
          + " poll in flight when v3 came back").isLessThanOrEqualTo(LaneRun.MAX_POLL_RECORDS * PARTITIONS);
      assertThat(duplicates).as("duplicates: the crashed polls' uncommitted records, and at most the hand-back"
          + " poll in flight when v3 came back").isLessThanOrEqualTo(uncommitted + LaneRun.MAX_POLL_RECORDS * PARTITIONS);
      Set<Integer> v1Twice = new HashSet<>();
      byId.forEach((id, processings) -> {
        if (target(id).equals("v1") && processings.size() > 1) {
          v1Twice.add(id);
        }
      });
      assertThat(v1Twice).as("the default version's own records are never processed twice").isEmpty();
    }
  }

  /** v1 for every tenth record (sent without flags) and a third of the rest; v2 and v3 the others. */
  private static String target(int id) {
    return id % 10 == 9 ? "v1" : "v" + (id % 3 + 1);
  }

  private static void send(Producer<String, String> producer, String topic, int from, int to) throws Exception {
    for (int id = from; id < to; id++) {
      String target = target(id);
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, Integer.toString(id), "payload " + id);
      if (id % 10 == 9) {
        producer.send(record);
      } else {
        try (FlagScope ignored = TestFlags.lane(target).makeCurrent()) {
          producer.send(record);
        }
      }
    }
    producer.flush();
    assertThat(FlagContext.current().isEmpty()).isTrue();
  }

  private Set<Integer> processedIds() {
    Set<Integer> ids = new HashSet<>();
    ledger.forEach(p -> ids.add(p.id()));
    return ids;
  }

  /** When v1 first processed a record of {@code version} after {@code since}. */
  private long firstHandBack(String version, long since) {
    return ledger.stream().filter(p -> p.version().equals("v1") && target(p.id()).equals(version) && p.nanos() >= since)
        .mapToLong(LaneRun.Processing::nanos).min().orElseThrow();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TestCluster.patience().toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met within %s", TestCluster.patience()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
