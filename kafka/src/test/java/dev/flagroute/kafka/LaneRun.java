package dev.flagroute.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One version's lane consumer polling on its own thread, as a deployed process would, writing what
 * it processes into a shared ledger. It can be stopped cleanly or crash: {@link #crashAfter} makes
 * it abandon its consumer in the middle of a poll, after processing and before committing.
 */
final class LaneRun implements Runnable {
  /** One processing of a record: which record, by which version, when. */
  record Processing(int id, String version, long nanos) {
  }

  static final int MAX_POLL_RECORDS = 100;

  private final LaneConsumer<String, String> lane;
  private final CopyOnWriteArrayList<Processing> ledger;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger taken = new AtomicInteger();
  private final AtomicInteger crashAfter = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicInteger sinceCommit = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile long crashedAt;
  private volatile int uncommittedAtCrash = -1;

  LaneRun(FlagRecords records, String version, String group, String topic, CopyOnWriteArrayList<Processing> ledger) {
    this(records, version, group, topic, ledger, Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3000,
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500));
  }

  /** With {@code overrides} of the consumer configuration (such as the group protocol). */
  LaneRun(FlagRecords records, String version, String group, String topic, CopyOnWriteArrayList<Processing> ledger,
      Map<String, Object> overrides) {
    Map<String, Object> config = TestCluster.consumerConfig(group);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    config.remove(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    config.putAll(overrides);
    this.lane = LaneConsumer.builder(records, TestFlags.SERVICE, version)
        .consumerConfig(config)
        .groupPrefix(group)
        .topics(topic)
        .refreshInterval(Duration.ofMillis(250))
        .build(new StringDeserializer(), new StringDeserializer());
    this.ledger = ledger;
    this.thread = new Thread(this, "lane-" + version);
  }

  LaneRun start() {
    thread.start();
    return this;
  }

  @Override
  public void run() {
    try {
      while (!stop.get()) {
        sinceCommit.set(0);
        lane.poll(Duration.ofMillis(100), record -> {
          if (taken.get() >= crashAfter.get()) {
            crashedAt = System.nanoTime();
            uncommittedAtCrash = sinceCommit.get();
            lane.abandon();
            throw new Crash();
          }
          ledger.add(new Processing(Integer.parseInt(record.key()), lane.version(), System.nanoTime()));
          sinceCommit.incrementAndGet();
          taken.incrementAndGet();
        });
      }
      lane.close();
    } catch (Crash | IllegalStateException crashed) {
      // the consumer was abandoned mid-poll: nothing was committed after the records it processed
      if (crashedAt == 0) {
        failure.set(crashed);
      }
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  /**
   * Crash once this version has processed {@code records} records in all, when the next record of
   * its lane comes: with 0, on the first record it polls, before processing anything.
   */
  void crashAfter(int records) {
    crashAfter.set(records);
  }

  int taken() {
    return taken.get();
  }

  boolean crashed() {
    return crashedAt != 0 && !thread.isAlive();
  }

  long crashedAt() {
    return crashedAt;
  }

  /** Records processed in the crashed poll and never committed. */
  int uncommittedAtCrash() {
    return uncommittedAtCrash;
  }

  LaneConsumer<String, String> lane() {
    return lane;
  }

  /** Stops cleanly (leaving the group) and rethrows what the thread failed with, if anything. */
  void stop() throws InterruptedException {
    stop.set(true);
    thread.join(TestCluster.patience().toMillis());
    if (failure.get() != null) {
      throw new AssertionError("lane " + lane.version() + " failed", failure.get());
    }
  }

  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash() {
      super("simulated crash", null, false, false);
    }
  }
}
