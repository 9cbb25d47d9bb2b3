package dev.flagroute.kafka;

import dev.flagroute.codec.HeaderCodec;
import dev.flagroute.context.FlagContext;
import dev.flagroute.router.FlagRouter;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A Kafka {@link ProducerInterceptor} that stamps the current {@link FlagContext} into the headers
 * of every record sent, in the router's codec, replacing flag headers the application set (other
 * owners' W3C baggage members are kept); the override-token header is removed from every record.
 * A record sent from a shadow context carries the shadow marker, so consumers see a shadow too.
 *
 * <p>Kafka runs interceptors on the thread that calls {@code send}, where the request's context is
 * current. It sends a record whatever an interceptor does, so this interceptor cannot hold back
 * records sent from a shadow context: wrap the producer with {@link FlagProducer} for that.
 *
 * <p>Configure it by class name with the codec (or the router) in the producer's configuration
 * map, which Kafka hands to {@link #configure}; or, for Spring Kafka's {@code KafkaTemplate}, pass
 * an instance to {@code setProducerInterceptor}:
 *
 * <pre>{@code
 * Map<String, Object> config = new HashMap<>();
 * config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, FlagProducerInterceptor.class.getName());
 * config.put(FlagProducerInterceptor.ROUTER_CONFIG, router);
 * }</pre>
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
public final class FlagProducerInterceptor<K, V> implements ProducerInterceptor<K, V> {
  /** Producer configuration key whose value is the {@link FlagRouter} whose codec stamps. */
  public static final String ROUTER_CONFIG = "flagroute.router";
  /** Producer configuration key whose value is the {@link HeaderCodec} that stamps. */
  public static final String CODEC_CONFIG = "flagroute.codec";

  private HeaderCodec codec;

  /** For Kafka, which creates interceptors by class name; {@link #configure} supplies the codec. */
  public FlagProducerInterceptor() {
  }

  private FlagProducerInterceptor(HeaderCodec codec) {
    this.codec = codec;
  }

  /** An interceptor that stamps with {@code codec}: the router's, {@link FlagRouter#codec()}. */
  public static <K, V> FlagProducerInterceptor<K, V> create(HeaderCodec codec) {
    return new FlagProducerInterceptor<>(Objects.requireNonNull(codec, "codec"));
  }

  /**
   * Takes the codec from {@link #ROUTER_CONFIG} or {@link #CODEC_CONFIG} unless created with one.
   *
   * @throws IllegalArgumentException if neither holds a router or codec
   */
  @Override
  public void configure(Map<String, ?> configs) {
    if (codec != null) {
      return;
    }
    Object router = configs.get(ROUTER_CONFIG);
    Object configured = configs.get(CODEC_CONFIG);
    if (router instanceof FlagRouter flagRouter) {
      codec = flagRouter.codec();
    } else if (configured instanceof HeaderCodec headerCodec) {
      codec = headerCodec;
    } else {
      throw new IllegalArgumentException(FlagProducerInterceptor.class.getSimpleName() + " needs the producer"
          + " configuration entry '" + ROUTER_CONFIG + "' (a FlagRouter) or '" + CODEC_CONFIG
          + "' (a HeaderCodec); found " + describe(router) + " and " + describe(configured));
    }
  }

  @Override
  public ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
    if (codec == null) {
      throw new IllegalStateException(FlagProducerInterceptor.class.getSimpleName() + " was not configured");
    }
    return stamp(codec, FlagContext.current(), record);
  }

  /**
   * {@code record} with {@code flags} stamped: its own headers changed in place, or a copy when they
   * are read-only (a record sent before).
   */
  static <K, V> ProducerRecord<K, V> stamp(HeaderCodec codec, FlagContext flags, ProducerRecord<K, V> record) {
    try {
      KafkaHeaders.stamp(codec, flags, record.headers());
      return record;
    } catch (IllegalStateException readOnly) {
      ProducerRecord<K, V> copy = new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
          record.key(), record.value(), new RecordHeaders(record.headers().toArray()));
      KafkaHeaders.stamp(codec, flags, copy.headers());
      return copy;
    }
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
  }

  @Override
  public void close() {
  }

  private static String describe(Object value) {
    return value == null ? "nothing" : value.getClass().getName();
  }
}
