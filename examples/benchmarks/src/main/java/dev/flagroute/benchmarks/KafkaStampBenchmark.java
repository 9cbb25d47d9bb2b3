package dev.flagroute.benchmarks;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.kafka.FlagProducer;
import dev.flagroute.kafka.FlagProducerInterceptor;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sending one record in a ten-flag context through {@link FlagProducer} (which stamps the ten
 * {@code x-flag-*} headers) against sending it plainly, both to Kafka's {@link MockProducer}
 * (serializes key and value, completes at once, no network): detail, since the mock's send costs
 * far less than a {@code KafkaProducer}'s. {@link KafkaSendBenchmark} measures against a real send
 * to a real broker. {@link #stampOnly} is the stamping without a send.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class KafkaStampBenchmark {
  private final FlagRouter router = FlagRouter.builder(Fixtures.ROUTES).mode(RoutingMode.RELAY).build();
  private final MockProducer<String, String> mock = new MockProducer<>(true, null, new StringSerializer(),
      new StringSerializer());
  private final Producer<String, String> stamping = FlagProducer.builder(router.codec()).wrap(mock);
  private final FlagProducerInterceptor<String, String> interceptor = FlagProducerInterceptor.create(router.codec());
  private FlagScope scope;
  private int sent;

  /** Makes a ten-flag context current, as in a request being served. */
  @Setup(Level.Trial)
  public void enter() {
    FlagContext.Builder builder = FlagContext.builder(Fixtures.ROUTES);
    for (int i = 0; i < Fixtures.KEYS.length; i++) {
      builder.relayed(Fixtures.KEYS[i], Fixtures.stampedVariant(i));
    }
    scope = builder.build().makeCurrent();
    if (stamped() == null || mock.history().get(mock.history().size() - 1).headers().toArray().length
        != Fixtures.KEYS.length) {
      throw new IllegalStateException("the stamped record does not carry the ten flags");
    }
  }


  /** Leaves the context. */
  @TearDown(Level.Trial)
  public void leave() {
    scope.close();
  }

  /** The baseline: a plain send. */
  @Benchmark
  public Future<RecordMetadata> baselinePlainSend() {
    forgetNowAndThen();
    return mock.send(new ProducerRecord<>("orders", "order-1", "payload"));
  }

  /** flagroute: the same send through {@link FlagProducer}, stamping the current ten flags. */
  @Benchmark
  public Future<RecordMetadata> stamped() {
    forgetNowAndThen();
    return stamping.send(new ProducerRecord<>("orders", "order-1", "payload"));
  }

  /** The stamping alone: the interceptor's {@code onSend} on a new record, nothing sent. */
  @Benchmark
  public ProducerRecord<String, String> stampOnly() {
    return interceptor.onSend(new ProducerRecord<>("orders", "order-1", "payload"));
  }

  /** The mock keeps every record sent: forget them every 10,000 sends, in both benchmarks alike. */
  private void forgetNowAndThen() {
    if (++sent == 10_000) {
      sent = 0;
      mock.clear();
    }
  }
}
