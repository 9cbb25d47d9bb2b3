package dev.flagroute.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * The real Kafka broker of {@link KafkaSendBenchmark}: an in-process KRaft cluster (one combined
 * controller and broker, Kafka's own test kit) in a JVM of its own, so that its threads neither
 * share the benchmark JVM's JIT and heap nor count in its {@code -prof gc} bytes per operation.
 * The first benchmark fork of a JMH run starts it and waits while it warms up; every later fork
 * and benchmark of the run sends to the same broker and topic; it stops and deletes its files when
 * the JMH run's JVM exits.
 */
final class BenchmarkBroker {
  /** The one topic every send goes to: one partition, old segments deleted as the run goes. */
  static final String TOPIC = "orders-bench";
  private static final String BOOTSTRAP = "bootstrap";
  private static final int WARM_UP_SECONDS = 20;

  private BenchmarkBroker() {}

  /**
   * The bootstrap servers of this JMH run's broker, starting it on the run's first call; waits up
   * to five minutes for it (a busy two-core machine is slow to start a broker).
   */
  static String bootstrapServers() throws IOException, InterruptedException {
    long run = runPid();
    Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "flagroute-bench-kafka-" + run));
    Path bootstrap = dir.resolve(BOOTSTRAP);
    try (FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      if (!Files.exists(dir.resolve("broker.log"))) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        new ProcessBuilder(java, "-Xms512m", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            BenchmarkBroker.class.getName(), Long.toString(run), dir.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile()).start();
      }
      for (int waited = 0; !Files.exists(bootstrap); waited++) {
        if (waited == 3000) {
          throw new IllegalStateException("the benchmark's Kafka broker did not start; see " + dir.resolve("broker.log"));
        }
        Thread.sleep(100);
      }
      return Files.readString(bootstrap, StandardCharsets.UTF_8);
    }
  }

  /** The JMH run's JVM: the parent of a benchmark fork, or this JVM when JMH runs without forks. */
  private static long runPid() {
    ProcessHandle self = ProcessHandle.current();
    boolean fork = self.info().arguments().map(List::of).orElse(List.of())
        .contains("org.openjdk.jmh.runner.ForkedMain");
    return fork ? self.parent().orElseThrow().pid() : self.pid();
  }

  /**
   * Starts the broker, creates {@link #TOPIC}, publishes the bootstrap servers in {@code args[1]},
   * and runs until the JVM of pid {@code args[0]} exits.
   */
  public static void main(String[] args) throws Exception {
    ProcessHandle run = ProcessHandle.of(Long.parseLong(args[0])).orElseThrow();
    Path dir = Path.of(args[1]);
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
        .setBaseDirectory(Files.createDirectories(dir.resolve("data")))
        .build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("log.retention.check.interval.ms", "5000")
        .build();
    boolean ended = false;
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
            "segment.bytes", Integer.toString(16 << 20),
            "retention.bytes", Integer.toString(64 << 20),
            "file.delete.delay.ms", "1000")))).all().get();
      }
      warmUp(cluster.bootstrapServers());
      Path written = dir.resolve(BOOTSTRAP + ".tmp");
      Files.writeString(written, cluster.bootstrapServers(), StandardCharsets.UTF_8);
      Files.move(written, dir.resolve(BOOTSTRAP), StandardCopyOption.ATOMIC_MOVE);
      run.onExit().join();
      ended = true;
    } finally {
      cluster.close();
      delete(ended ? dir : dir.resolve("data")); // the log stays when the broker failed
    }
  }

  /**
   * Sends records like the benchmarks' (a key, a 512-byte value, with and without the ten flag
   * headers) for {@value #WARM_UP_SECONDS} seconds, so that the broker's JIT has compiled its
   * produce path before the first benchmark measures: otherwise the benchmark that runs first
   * would pay for the broker's warm-up.
   */
  private static void warmUp(String bootstrapServers) {
    Header[] headers = new Header[Fixtures.KEYS.length];
    for (int i = 0; i < headers.length; i++) {
      headers[i] = new RecordHeader(Fixtures.flagHeader(i), Fixtures.stampedVariant(i).getBytes(StandardCharsets.UTF_8));
    }
    byte[] value = new byte[512];
    try (Producer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 5),
        new StringSerializer(), new ByteArraySerializer())) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
      for (int sent = 1; System.nanoTime() < end; sent++) {
        producer.send(new ProducerRecord<>(TOPIC, null, null, "order-1", value,
            sent % 2 == 0 ? new RecordHeaders(headers) : null));
        if (sent % 1_000 == 0) {
          producer.flush();
        }
      }
    }
  }

  private static void delete(Path tree) {
    try (Stream<Path> files = Files.walk(tree)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
