package dev.flagroute.kafka;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What the default version last learnt about one variant's consumer group.
 *
 * @param live whether the group has members; null when unknown (never asked, or asking failed)
 * @param committed the group's committed offset per partition (the next record it will read)
 * @param foreignRoutes whether the group commits with other routes than this consumer's
 */
record LaneState(Boolean live, Map<TopicPartition, Long> committed, boolean foreignRoutes) {
  static final LaneState UNKNOWN = new LaneState(null, Map.of(), false);

  /** The committed offset of {@code partition}, or -1 if none. */
  long committed(TopicPartition partition) {
    return committed.getOrDefault(partition, -1L);
  }

  boolean dead() {
    return Boolean.FALSE.equals(live) || foreignRoutes;
  }
}
