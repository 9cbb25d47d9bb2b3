package dev.flagroute.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record handler failed with a checked exception, its cause; names the record's position. */
public final class RecordProcessingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code cause} thrown while processing {@code record}. */
  public RecordProcessingException(ConsumerRecord<?, ?> record, Throwable cause) {
    super("processing the record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
        + " failed: " + cause, cause);
  }
}
