package dev.flagroute.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default version's view of its variants' consumer groups, learnt from Kafka itself through
 * the Admin API: whether each group has members, and its committed offsets. Asking fails safe: a
 * group whose state could not be learnt is {@linkplain LaneState#UNKNOWN unknown}, and the default
 * version then neither takes nor skips that variant's records. Used by the polling thread only.
 */
final class VariantGroups {
  private static final Logger log = LoggerFactory.getLogger(VariantGroups.class);

  private final Admin admin;
  private final Map<String, String> groupsByVersion;
  private final String routesMark;
  private final Duration interval;
  private final Duration timeout;
  private final Map<String, LaneState> states = new HashMap<>();
  private final Map<String, Long> lastWarned = new HashMap<>();
  private long refreshedAt;

  VariantGroups(Admin admin, Map<String, String> groupsByVersion, String routesMark, Duration interval) {
    this.admin = admin;
    this.groupsByVersion = new LinkedHashMap<>(groupsByVersion);
    this.routesMark = routesMark;
    this.interval = interval;
    this.timeout = interval.multipliedBy(10).compareTo(Duration.ofSeconds(30)) > 0 ? interval.multipliedBy(10)
        : Duration.ofSeconds(30);
    groupsByVersion.keySet().forEach(version -> states.put(version, LaneState.UNKNOWN));
  }

  LaneState state(String version) {
    return states.getOrDefault(version, LaneState.UNKNOWN);
  }

  /** Refreshes every group when the last refresh is older than the interval. */
  void refreshIfDue() {
    if (System.nanoTime() - refreshedAt >= interval.toNanos()) {
      refresh(groupsByVersion.keySet());
    }
  }

  /** Asks Kafka now about the groups of {@code versions}. */
  void refresh(Collection<String> versions) {
    if (versions.containsAll(groupsByVersion.keySet())) {
      refreshedAt = System.nanoTime();
    }
    Map<String, String> groups = new LinkedHashMap<>();
    versions.forEach(version -> groups.put(version, groupsByVersion.get(version)));
    Map<String, KafkaFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(groups.values())
        .describedGroups();
    Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
    groups.values().forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
    var offsets = admin.listConsumerGroupOffsets(specs);
    groups.forEach((version, group) -> {
      try {
        Boolean live = live(described.get(group));
        Map<TopicPartition, Long> committed = new HashMap<>();
        boolean foreign = false;
        for (var entry : get(offsets.partitionsToOffsetAndMetadata(group)).entrySet()) {
          OffsetAndMetadata offset = entry.getValue();
          if (offset != null) {
            committed.put(entry.getKey(), offset.offset());
            foreign |= LaneMarks.foreign(offset.metadata(), routesMark);
          }
        }
        if (foreign) {
          warn(version, "the consumer group {} of version {} commits with other routes than this default"
              + " version's; its records are processed here until every version runs the same routes", group, version);
        }
        states.put(version, new LaneState(live, Map.copyOf(committed), foreign));
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        warn(version, "could not learn the state of consumer group {} (version {}); its records wait: {}", group,
            version, e.toString());
        states.put(version, new LaneState(null, state(version).committed(), false));
      }
    });
  }

  /**
   * Advances the committed offsets of dead {@code version}'s group to {@code positions} where they
   * are ahead, so that the variant, when it comes back, starts after what the default version
   * processed for it. Kafka accepts such a commit only while the group has no member, which fences
   * a variant that came back meanwhile. Returns whether the group took the offsets.
   */
  boolean claim(String version, Map<TopicPartition, Long> positions) {
    String group = groupsByVersion.get(version);
    refresh(java.util.List.of(version));
    LaneState state = state(version);
    if (!Boolean.FALSE.equals(state.live())) {
      return false;
    }
    Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
    positions.forEach((partition, position) -> {
      if (position > state.committed(partition)) {
        ahead.put(partition, new OffsetAndMetadata(position, LaneMarks.claimed(routesMark)));
      }
    });
    if (ahead.isEmpty()) {
      return true;
    }
    try {
      get(admin.alterConsumerGroupOffsets(group, ahead).all());
      Map<TopicPartition, Long> committed = new HashMap<>(state.committed());
      ahead.forEach((partition, offset) -> committed.put(partition, offset.offset()));
      states.put(version, new LaneState(false, Map.copyOf(committed), state.foreignRoutes()));
      return true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.debug("version {} came back (its group {} refused the default version's offsets)", version, group, e);
      states.put(version, new LaneState(null, state.committed(), false));
      return false;
    }
  }

  private Boolean live(KafkaFuture<ConsumerGroupDescription> description) throws Exception {
    try {
      return !get(description).members().isEmpty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return false;
      }
      throw e;
    }
  }

  private <T> T get(KafkaFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Warns about {@code version} at most once a minute. */
  private void warn(String version, String format, Object... arguments) {
    long now = System.nanoTime();
    Long last = lastWarned.get(version);
    if (last == null || now - last >= TimeUnit.MINUTES.toNanos(1)) {
      lastWarned.put(version, now);
      log.warn(format, arguments);
    }
  }

  void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
