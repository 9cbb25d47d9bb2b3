package dev.flagroute.kafka.spring;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.kafka.FlagRecords;
import dev.flagroute.observe.RequestOutcome;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * A Spring Kafka {@link RecordInterceptor} that makes each record's flags ({@link FlagRecords#flags})
 * current on the listener thread from {@link #intercept} until {@link #afterRecord}, so the listener
 * and everything it sends or calls carry them, and reports how the record ended to the router
 * ({@code FlagRouter.completed}: failed when the listener threw). Nothing stays current on the
 * consumer thread afterwards.
 *
 * <pre>{@code
 * container.setRecordInterceptor(new FlagRecordInterceptor<>(flagRecords));
 * // or, for @KafkaListener methods: factory.setRecordInterceptor(new FlagRecordInterceptor<>(flagRecords));
 * }</pre>
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
@SuppressWarnings({"exports", "try"}) // Spring Kafka is on the user's path by definition; scopes are held
public final class FlagRecordInterceptor<K, V> implements RecordInterceptor<K, V> {
  private final FlagRecords records;
  private final ThreadLocal<Open> open = new ThreadLocal<>();

  /** Reads records' flags with {@code records}. */
  public FlagRecordInterceptor(FlagRecords records) {
    this.records = Objects.requireNonNull(records, "records");
  }

  @Override
  public ConsumerRecord<K, V> intercept(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
    close(open.get(), false);
    FlagContext flags = records.flags(record);
    open.set(new Open(record.topic(), flags, flags.makeCurrent(), System.nanoTime()));
    return record;
  }

  @Override
  public void failure(ConsumerRecord<K, V> record, Exception exception, Consumer<K, V> consumer) {
    Open current = open.get();
    if (current != null) {
      current.failed = true;
    }
  }

  @Override
  public void afterRecord(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
    Open current = open.get();
    if (current != null) {
      close(current, current.failed);
    }
  }

  @Override
  public void clearThreadState(Consumer<?, ?> consumer) {
    close(open.get(), false);
  }

  private void close(Open current, boolean failed) {
    if (current == null) {
      return;
    }
    open.remove();
    current.scope.close();
    records.routerFor(current.topic).completed(current.flags, RequestOutcome.since(current.start, failed));
  }

  /** The record being processed on this thread. */
  private static final class Open {
    final String topic;
    final FlagContext flags;
    final FlagScope scope;
    final long start;
    boolean failed;

    Open(String topic, FlagContext flags, FlagScope scope, long start) {
      this.topic = topic;
      this.flags = flags;
      this.scope = scope;
      this.start = start;
    }
  }
}
