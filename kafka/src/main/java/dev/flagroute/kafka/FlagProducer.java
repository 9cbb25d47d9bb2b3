package dev.flagroute.kafka;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Producer} that stamps the current {@link FlagContext} into every record's headers, as
 * {@link FlagProducerInterceptor} does, and keeps dark launches free of side effects: a record sent
 * from a {@linkplain FlagContext#isShadow() shadow} context is not sent unless the application
 * asks ({@link Builder#sendShadows}). A skipped send completes at once, its callback called, with
 * metadata that has no offset ({@link RecordMetadata#hasOffset()} false, as with {@code acks=0});
 * it is counted ({@link #shadowSendsSkipped()}) and logged at debug. Shadow sends the application
 * asks for carry the shadow marker header, so their consumers see a shadow too.
 *
 * <pre>{@code
 * Producer<String, String> producer = FlagProducer.builder(router.codec())
 *     .wrap(new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()));
 * }</pre>
 *
 * <p>With Spring Kafka, wrap the template's producers: {@code
 * producerFactory.addPostProcessor(producer -> stamping.wrap(producer))}, where {@code stamping}
 * is a {@link Builder}. Everything but {@code send} is the wrapped producer's.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
public final class FlagProducer<K, V> implements Producer<K, V> {
  private static final Logger log = LoggerFactory.getLogger(FlagProducer.class);

  private final Producer<K, V> delegate;
  private final HeaderCodec codec;
  private final boolean sendShadows;
  private final LongAdder skipped;

  private FlagProducer(Producer<K, V> delegate, Builder builder) {
    this.delegate = Objects.requireNonNull(delegate, "producer");
    this.codec = builder.codec;
    this.sendShadows = builder.sendShadows;
    this.skipped = builder.skipped;
  }

  /** Starts configuring producers that stamp with {@code codec}: the router's, {@code router.codec()}. */
  public static Builder builder(HeaderCodec codec) {
    return new Builder(codec);
  }

  /**
   * The records sent from a shadow context and not sent, counted across every producer built by
   * the same builder.
   */
  public long shadowSendsSkipped() {
    return skipped.sum();
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    FlagContext flags = FlagContext.current();
    if (flags.isShadow() && !sendShadows) {
      skipped.increment();
      log.debug("record to {} not sent: it was sent from a shadow context {}", record.topic(), flags);
      RecordMetadata none = new RecordMetadata(new TopicPartition(record.topic(),
          record.partition() == null ? -1 : record.partition()), -1, -1,
          record.timestamp() == null ? -1 : record.timestamp(), -1, -1);
      if (callback != null) {
        callback.onCompletion(none, null);
      }
      return CompletableFuture.completedFuture(none);
    }
    return delegate.send(FlagProducerInterceptor.stamp(codec, flags, record), callback);
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
  }

  @Override
  public void abortTransaction() {
    delegate.abortTransaction();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }

  /** Configures {@link FlagProducer}s; producers built by one builder share its skip counter. */
  public static final class Builder {
    private final HeaderCodec codec;
    private final LongAdder skipped = new LongAdder();
    private boolean sendShadows;

    private Builder(HeaderCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Whether records sent from a shadow context are sent (with the shadow marker) rather than
     * skipped; false by default, so that a dark launch has no side effects downstream.
     */
    public Builder sendShadows(boolean sendShadows) {
      this.sendShadows = sendShadows;
      return this;
    }

    /** Records sent from a shadow context and skipped by producers of this builder so far. */
    public long shadowSendsSkipped() {
      return skipped.sum();
    }

    /** {@code producer}, stamping; the result closes {@code producer} when closed. */
    public <K, V> FlagProducer<K, V> wrap(Producer<K, V> producer) {
      return new FlagProducer<>(producer, this);
    }
  }
}
