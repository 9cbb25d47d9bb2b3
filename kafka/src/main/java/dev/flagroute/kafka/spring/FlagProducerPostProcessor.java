package dev.flagroute.kafka.spring;

import dev.flagroute.kafka.FlagProducer;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.kafka.core.ProducerPostProcessor;

/**
 * Wraps every producer a Spring Kafka {@code ProducerFactory} creates in a {@link FlagProducer}:
 * records a {@code KafkaTemplate} sends carry the current flags, and records sent from a shadow
 * context are skipped unless the builder allows them.
 *
 * <pre>{@code
 * producerFactory.addPostProcessor(new FlagProducerPostProcessor<>(FlagProducer.builder(router.codec())));
 * }</pre>
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
@SuppressWarnings("exports") // Spring Kafka is on the user's path by definition
public final class FlagProducerPostProcessor<K, V> implements ProducerPostProcessor<K, V> {
  private final FlagProducer.Builder stamping;

  /** Wraps producers as {@code stamping} configures; its skip counter counts for all of them. */
  public FlagProducerPostProcessor(FlagProducer.Builder stamping) {
    this.stamping = Objects.requireNonNull(stamping, "stamping");
  }

  @Override
  public Producer<K, V> apply(Producer<K, V> producer) {
    return stamping.wrap(producer);
  }
}
