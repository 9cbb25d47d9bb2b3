package dev.flagroute.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one consumed record; runs with the record's flags current.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {
  /** Processes {@code record}; an exception means it was not processed. */
  void handle(ConsumerRecord<K, V> record) throws Exception;
}
