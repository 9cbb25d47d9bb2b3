package dev.flagroute.kafka;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagDecision;
import dev.flagroute.context.Source;
import dev.flagroute.router.RoutingMode;
import dev.flagroute.routes.ServiceRoutes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selective consumption ("lanes"): each version of a consuming service runs its own
 * {@code LaneConsumer}, in its own consumer group ({@code <group prefix>.<version>}), and each
 * record is processed by exactly one version: the version its flags route to
 * ({@link ServiceRoutes#version}) when that version's group has live consumers, otherwise the
 * service's default (stable) version. docs/messaging.md states the guarantees and failure cases.
 *
 * <ul>
 *   <li>A variant processes the records that route to it and skips the rest; it commits after
 *       every poll.
 *   <li>The default version processes its own records. A variant's record it skips only once that
 *       variant's group has committed past it (so the variant processed it); while the variant's
 *       group is live but has not, the default version waits on that partition. When the variant's
 *       group has no members (Kafka removed them after their session timeout), the default version
 *       processes the variant's records itself ("hands them back") and then advances the variant's
 *       committed offsets past them, which Kafka accepts only while that group is still empty.
 * </ul>
 *
 * <p>Liveness and committed offsets come from Kafka (Admin API), asked every
 * {@linkplain Builder#refreshInterval refresh interval} and again before any hand-back. Lanes are
 * decided from the flags the record carries (relayed decisions only), so every version decides
 * alike; run every version with the same routes (the default version notices other routes in a
 * variant's commits and then takes that variant's records itself).
 *
 * <pre>{@code
 * LaneConsumer<String, String> lane = LaneConsumer.builder(flagRecords, "billing", "v2")
 *     .consumerConfig(config)
 *     .groupPrefix("billing-worker")
 *     .topics("orders")
 *     .build(new StringDeserializer(), new StringDeserializer());
 * while (running) {
 *   lane.poll(Duration.ofMillis(500), record -> bill(record.value()));
 * }
 * }</pre>
 *
 * <p>Every record read is routed with the {@link FlagRecords}' router, so its listener hears the
 * records this consumer skips too; {@link #counts()} tells them apart.
 *
 * <p>Not thread-safe, like {@link KafkaConsumer}: poll from one thread; {@link #wakeup()} and
 * {@link #counts()} may be called from any.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
public final class LaneConsumer<K, V> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LaneConsumer.class);
  private static final int TAKEN = 0;
  private static final int SKIPPED = 1;
  private static final int HANDED_BACK = 2;

  private final FlagRecords records;
  private final ServiceRoutes service;
  private final String version;
  private final String stableVersion;
  private final String routesMark;
  private final Consumer<K, V> consumer;
  private final VariantGroups variants;
  private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Hold> held = new HashMap<>();
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final Set<String> handedBack = new HashSet<>();
  private final Set<String> confirmed = new HashSet<>();
  private final Duration refreshInterval;
  private long claimedAt;
  private long warnedAt;

  private LaneConsumer(Builder builder, Deserializer<K> keys, Deserializer<V> values) {
    this.records = builder.records;
    this.service = builder.service;
    this.version = builder.version;
    this.stableVersion = service.stableVersion();
    this.routesMark = LaneMarks.of(service);
    this.refreshInterval = builder.refreshInterval;
    Map<String, Object> config = new HashMap<>(builder.config);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupOf(builder.groupPrefix, version));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    for (String other : service.versions()) {
      counts.put(other, new AtomicLongArray(3));
    }
    if (isDefault()) {
      Map<String, String> groups = new LinkedHashMap<>();
      service.versions().stream().filter(v -> !v.equals(version)).forEach(v -> groups.put(v, groupOf(builder.groupPrefix, v)));
      Map<String, Object> adminConfig = new HashMap<>();
      config.forEach((key, value) -> {
        if (AdminClientConfig.configNames().contains(key) && !key.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
          adminConfig.put(key, value);
        }
      });
      // describing a classic group retries with the classic protocol after a backoff: keep it short
      adminConfig.putIfAbsent(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 10);
      this.variants = new VariantGroups(Admin.create(adminConfig), groups, routesMark, refreshInterval);
    } else {
      this.variants = null;
    }
    this.consumer = new KafkaConsumer<>(config, keys, values);
    consumer.subscribe(builder.topics, new Rebalance());
  }

  /**
   * Starts configuring the consumer of {@code version} of {@code service}, reading flags with
   * {@code records}, whose routers must relay ({@link RoutingMode#RELAY}) on the consumed topics.
   *
   * @throws IllegalArgumentException if the routes have no such service or version
   */
  public static Builder builder(FlagRecords records, String service, String version) {
    return new Builder(records, service, version);
  }

  /** The consumer group of {@code version}: {@code <group prefix>.<version>}. */
  public static String groupOf(String groupPrefix, String version) {
    return groupPrefix + "." + version;
  }

  /** Whether this consumer runs the service's default (stable) version. */
  public boolean isDefault() {
    return version.equals(stableVersion);
  }

  /** The version this consumer runs. */
  public String version() {
    return version;
  }

  /**
   * Polls once, waiting up to {@code timeout}, and processes the records of this version with
   * {@code handler}, each with its flags current; then commits. When the handler throws, the
   * offsets of the records processed before are committed, the failed record will be polled
   * again, and the exception is rethrown ({@link RecordProcessingException} for checked ones).
   */
  public void poll(Duration timeout, RecordHandler<K, V> handler) {
    Objects.requireNonNull(handler, "handler");
    if (variants != null) {
      variants.refreshIfDue();
      releaseHolds();
    }
    ConsumerRecords<K, V> batch = consumer.poll(timeout);
    confirmed.clear();
    Map<TopicPartition, Long> next = new HashMap<>();
    try {
      for (TopicPartition partition : batch.partitions()) {
        for (ConsumerRecord<K, V> record : batch.records(partition)) {
          FlagContext flags = records.flags(record);
          String target = laneOf(flags);
          if (!handle(partition, record, target, flags, handler)) {
            break;
          }
          next.put(partition, record.offset() + 1);
        }
      }
    } finally {
      rewind(batch, next);
      commit(next);
    }
    if (variants != null) {
      claimForDeadVariants();
      warnAboutLongHolds();
    }
  }

  /** What this consumer did per version its records route to: taken, skipped, handed back. */
  public Map<String, LaneCounts> counts() {
    Map<String, LaneCounts> snapshot = new LinkedHashMap<>();
    for (String other : service.versions()) {
      AtomicLongArray values = counts.get(other);
      snapshot.put(other, new LaneCounts(values.get(TAKEN), values.get(SKIPPED), values.get(HANDED_BACK)));
    }
    return snapshot;
  }

  /** Makes a blocked {@link #poll} throw {@code WakeupException}; callable from any thread. */
  public void wakeup() {
    consumer.wakeup();
  }

  /** Leaves the group (the partitions move to this version's other consumers at once) and closes. */
  @Override
  public void close() {
    try {
      consumer.close();
    } finally {
      if (variants != null) {
        variants.close();
      }
    }
  }

  /**
   * Closes without leaving the group, as a crashed process would: Kafka takes this consumer for
   * dead after its session timeout. For tests and drills of the failure cases.
   */
  public void abandon() {
    try {
      consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
          .withTimeout(Duration.ZERO));
    } finally {
      if (variants != null) {
        variants.close();
      }
    }
  }

  /** Processes, skips or holds one record; false when its partition must stop here for now. */
  private boolean handle(TopicPartition partition, ConsumerRecord<K, V> record, String target, FlagContext flags,
      RecordHandler<K, V> handler) {
    if (target.equals(version)) {
      records.process(flags, record, handler);
      count(target, TAKEN);
      return true;
    }
    if (variants == null || !service.versions().contains(target)) {
      count(target, SKIPPED);
      return true;
    }
    LaneState state = variants.state(target);
    if (!state.foreignRoutes() && state.committed(partition) > record.offset()) {
      count(target, SKIPPED);
      return true;
    }
    if (state.dead() && confirmed.add(target)) {
      variants.refresh(List.of(target)); // once per poll, right before handing back: a variant may just have come back
      state = variants.state(target);
    }
    if (state.dead()) {
      records.process(flags, record, handler);
      count(target, HANDED_BACK);
      handedBack.add(target);
      return true;
    }
    consumer.seek(partition, record.offset());
    consumer.pause(List.of(partition));
    held.put(partition, new Hold(target, record.offset(), System.nanoTime()));
    return false;
  }

  /** The version {@code flags} route to, from the decisions the record carried only. */
  private String laneOf(FlagContext flags) {
    return service.version(route -> {
      FlagDecision decision = flags.decision(route.key());
      return decision != null && decision.source() == Source.RELAYED ? decision.variant() : null;
    });
  }

  /** Resumes the partitions whose held record can now be decided. */
  private void releaseHolds() {
    List<TopicPartition> resumed = new ArrayList<>();
    held.forEach((partition, hold) -> {
      LaneState state = variants.state(hold.version());
      if (state.dead() || state.committed(partition) > hold.offset()) {
        resumed.add(partition);
      }
    });
    resumed.forEach(held::remove);
    consumer.resume(resumed);
  }

  /** Seeks every partition of the batch back to its first record not handled. */
  private void rewind(ConsumerRecords<K, V> batch, Map<TopicPartition, Long> next) {
    for (TopicPartition partition : batch.partitions()) {
      if (held.containsKey(partition)) {
        continue;
      }
      List<ConsumerRecord<K, V>> polled = batch.records(partition);
      long first = next.getOrDefault(partition, polled.get(0).offset());
      if (first <= polled.get(polled.size() - 1).offset()) {
        consumer.seek(partition, first);
      }
    }
  }

  private void commit(Map<TopicPartition, Long> next) {
    if (next.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    next.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset, routesMark)));
    consumer.commitSync(offsets);
    positions.putAll(next);
  }

  /**
   * After a hand-back, and every refresh interval while a variant is dead: advances the dead
   * variants' offsets to this consumer's committed positions.
   */
  private void claimForDeadVariants() {
    boolean due = System.nanoTime() - claimedAt >= refreshInterval.toNanos();
    if (positions.isEmpty() || !due && handedBack.isEmpty()) {
      return;
    }
    claimedAt = System.nanoTime();
    for (String other : service.versions()) {
      if (!other.equals(version) && (handedBack.contains(other) || Boolean.FALSE.equals(variants.state(other).live()))) {
        variants.claim(other, Map.copyOf(positions));
      }
    }
    handedBack.clear();
  }

  private void warnAboutLongHolds() {
    long now = System.nanoTime();
    if (now - warnedAt < TimeUnit.MINUTES.toNanos(1)) {
      return;
    }
    held.forEach((partition, hold) -> {
      if (now - hold.since() > TimeUnit.SECONDS.toNanos(60) && now - warnedAt >= TimeUnit.MINUTES.toNanos(1)) {
        warnedAt = now;
        log.warn("default version {} has waited more than 60 s on {} for version {}, whose group is live, to commit"
            + " past offset {}", version, partition, hold.version(), hold.offset());
      }
    });
  }

  private void count(String target, int what) {
    counts.computeIfAbsent(target, v -> new AtomicLongArray(3)).incrementAndGet(what);
  }

  /** Forgets holds and positions of partitions this consumer no longer owns. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(held::remove);
      partitions.forEach(positions::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }

  private record Hold(String version, long offset, long since) {
  }

  /** Configures a {@link LaneConsumer}. */
  public static final class Builder {
    private final FlagRecords records;
    private final ServiceRoutes service;
    private final String version;
    private Map<String, Object> config;
    private String groupPrefix;
    private List<String> topics;
    private Duration refreshInterval = Duration.ofSeconds(1);

    private Builder(FlagRecords records, String service, String version) {
      this.records = Objects.requireNonNull(records, "records");
      Objects.requireNonNull(service, "service");
      this.version = Objects.requireNonNull(version, "version");
      if (!records.routes().services().contains(service)) {
        throw new IllegalArgumentException("the routes have no service '" + service + "'; they have "
            + records.routes().services());
      }
      this.service = records.routes().service(service);
      if (!this.service.versions().contains(version)) {
        throw new IllegalArgumentException("service '" + service + "' has no version '" + version
            + "'; its versions are " + this.service.versions());
      }
    }

    /**
     * The consumer configuration (bootstrap servers, security, ...); the default version's Admin
     * client takes the entries it knows from it. Lanes set {@code group.id},
     * {@code enable.auto.commit=false} and {@code auto.offset.reset=earliest} themselves.
     *
     * @throws IllegalArgumentException if it sets any of those otherwise
     */
    public Builder consumerConfig(Map<String, ?> config) {
      Map<String, Object> copy = new HashMap<>(config);
      reject(copy, ConsumerConfig.GROUP_ID_CONFIG, null, "lanes name their groups <group prefix>.<version>");
      reject(copy, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", "lanes commit after processing");
      reject(copy, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          "a new variant group must start where the default version handed over, never skip records");
      this.config = copy;
      return this;
    }

    /** The prefix of the versions' consumer group names; every version must use the same. */
    public Builder groupPrefix(String groupPrefix) {
      this.groupPrefix = Objects.requireNonNull(groupPrefix, "groupPrefix");
      return this;
    }

    /** The topics to consume; every version must consume the same. */
    public Builder topics(String... topics) {
      this.topics = List.of(topics);
      return this;
    }

    /**
     * How often the default version asks Kafka about its variants' groups; one second by default.
     * Part of the detection time of a dead variant (with the variant's session timeout).
     */
    public Builder refreshInterval(Duration refreshInterval) {
      if (refreshInterval.isNegative() || refreshInterval.isZero()) {
        throw new IllegalArgumentException("refresh interval must be positive: " + refreshInterval);
      }
      this.refreshInterval = refreshInterval;
      return this;
    }

    /**
     * Builds and subscribes the consumer.
     *
     * @throws IllegalStateException if the consumer configuration, group prefix or topics are missing
     */
    public <K, V> LaneConsumer<K, V> build(Deserializer<K> keys, Deserializer<V> values) {
      if (config == null || groupPrefix == null || topics == null || topics.isEmpty()) {
        throw new IllegalStateException("a lane consumer needs consumerConfig, groupPrefix and topics");
      }
      for (String topic : topics) {
        if (records.routerFor(topic).mode() != RoutingMode.RELAY) {
          throw new IllegalArgumentException("lanes follow the flags records carry, but topic '" + topic
              + "' is read by an edge router, which decides them anew; lanes need relayed topics");
        }
      }
      return new LaneConsumer<>(this, keys, values);
    }

    private static void reject(Map<String, Object> config, String key, String allowed, String why) {
      Object value = config.get(key);
      if (value != null && !String.valueOf(value).equalsIgnoreCase(String.valueOf(allowed))) {
        throw new IllegalArgumentException("lane consumers set " + key + " themselves (" + why + "); remove "
            + key + "=" + value + " from the consumer configuration");
      }
      config.remove(key);
    }
  }
}
