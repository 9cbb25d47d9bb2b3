package dev.flagroute.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-process KRaft cluster (a combined controller and broker) for every test class of the
 * run, started on first use and stopped when the JVM exits. Session timeouts are allowed down to
 * one second, so that tests can let Kafka notice a dead consumer quickly. Its files live under
 * {@code target/}; the JVM's exit ends it (closing it takes seconds and saves nothing).
 */
final class TestCluster {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static KafkaClusterTestKit cluster;
  private static Admin admin;

  private TestCluster() {
  }

  /** The bootstrap servers, starting the cluster on first call. */
  static synchronized String bootstrapServers() {
    if (cluster == null) {
      try {
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
            .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
            .setBaseDirectory(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-cluster"))
            .build())
            .setConfigProp("group.min.session.timeout.ms", "1000")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "4")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        cluster = kit;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()));
      } catch (Exception e) {
        throw new IllegalStateException("could not start the in-process Kafka cluster", e);
      }
    }
    return cluster.bootstrapServers();
  }

  /** A new topic with {@code partitions} partitions, its name unique in the run. */
  static String topic(String prefix, int partitions) {
    bootstrapServers();
    String name = prefix + "-" + TOPICS.incrementAndGet();
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic " + name, e);
    }
    return name;
  }

  /** A group name unique in the run. */
  static String group(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return config;
  }

  static Map<String, Object> consumerConfig(String group) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  static Admin admin() {
    bootstrapServers();
    return admin;
  }

  /** Generous: a busy 2-core machine may take long, and no test should fail for that alone. */
  static Duration patience() {
    return Duration.ofSeconds(120);
  }
}
