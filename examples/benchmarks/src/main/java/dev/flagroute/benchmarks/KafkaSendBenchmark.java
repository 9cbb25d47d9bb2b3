package dev.flagroute.benchmarks;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.kafka.FlagProducer;
import dev.flagroute.kafka.FlagProducerInterceptor;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Send throughput of a real {@link KafkaProducer} to a real broker ({@link BenchmarkBroker}: one
 * KRaft node in a JVM of its own, the same broker and topic for every benchmark and fork of the
 * run), stamping with {@link FlagProducer} in a ten-flag context against a plain send of the same
 * record: the same key, a {@code valueBytes}-byte value and the same ten {@code x-flag-*} headers,
 * which the application set itself (the cheapest way there is: header objects built once). The
 * difference is flagroute's own work. {@link #plainSendWithoutHeaders} shows what the ten headers
 * cost Kafka itself.
 *
 * <p>The producer is a typical one: Kafka's defaults ({@code acks=all}, idempotence, 16 KiB
 * batches, no compression) with {@code linger.ms=5}. Every {@value #FLUSH_EVERY}th send waits for
 * the broker to acknowledge what was sent ({@code flush()}), in every benchmark alike, so the time
 * per operation is the inverse of the acknowledged send throughput: the baseline's time over the
 * stamped send's is their throughput ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class KafkaSendBenchmark {
  static final int FLUSH_EVERY = 1_000;

  /** The size of each record's value. */
  @Param("512")
  public int valueBytes;

  private final FlagRouter router = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY).build();
  private Producer<String, byte[]> plain;
  private Producer<String, byte[]> stamping;
  private byte[] value;
  private Header[] tenHeaders;
  private FlagScope scope;
  private int sent;

  /** Connects to the run's broker and makes a ten-flag context current, as in a request being served. */
  @Setup(Level.Trial)
  public void connect() throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BenchmarkBroker.bootstrapServers());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    plain = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    stamping = FlagProducer.builder(router.codec()).wrap(plain);
    value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'x');
    FlagContext.Builder builder = FlagContext.builder(Fixtures.ROUTES);
    for (int i = 0; i < Fixtures.KEYS.length; i++) {
      builder.relayed(Fixtures.KEYS[i], Fixtures.stampedVariant(i));
    }
    scope = builder.build().makeCurrent();
    tenHeaders = FlagProducerInterceptor.<String, byte[]>create(router.codec())
        .onSend(new ProducerRecord<>(BenchmarkBroker.TOPIC, "order-1", value)).headers().toArray();
    if (tenHeaders.length != Fixtures.KEYS.length || stamped().get().offset() < 0
        || baselinePlainSend().get().offset() < 0) {
      throw new IllegalStateException("the records do not carry the ten flags to the broker");
    }
  }

  /** Waits for what the iteration sent, so that the next one starts with nothing in flight. */
  @TearDown(Level.Iteration)
  public void drain() {
    plain.flush();
  }

  /** Leaves the context and closes the producer. */
  @TearDown(Level.Trial)
  public void close() {
    scope.close();
    plain.close();
  }

  /** The baseline: a plain send of the record with the ten flag headers the application set. */
  @Benchmark
  public Future<RecordMetadata> baselinePlainSend() {
    flushNowAndThen();
    return plain.send(new ProducerRecord<>(BenchmarkBroker.TOPIC, null, null, "order-1", value,
        new RecordHeaders(tenHeaders)));
  }

  /** flagroute: the same record without headers, sent through {@link FlagProducer}, which stamps them. */
  @Benchmark
  public Future<RecordMetadata> stamped() {
    flushNowAndThen();
    return stamping.send(new ProducerRecord<>(BenchmarkBroker.TOPIC, "order-1", value));
  }

  /** Detail: a plain send of the record without any header. */
  @Benchmark
  public Future<RecordMetadata> plainSendWithoutHeaders() {
    flushNowAndThen();
    return plain.send(new ProducerRecord<>(BenchmarkBroker.TOPIC, "order-1", value));
  }

  /** Waits for the broker's acknowledgements every {@value #FLUSH_EVERY} sends, in every benchmark alike. */
  private void flushNowAndThen() {
    if (++sent == FLUSH_EVERY) {
      sent = 0;
      plain.flush();
    }
  }
}
