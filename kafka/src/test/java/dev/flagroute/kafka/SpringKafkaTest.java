package dev.flagroute.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagroute.context.FlagContext;
import dev.flagroute.context.FlagScope;
import dev.flagroute.kafka.spring.FlagProducerPostProcessor;
import dev.flagroute.kafka.spring.FlagRecordInterceptor;
import dev.flagroute.observe.RequestOutcome;
import dev.flagroute.observe.RoutingListener;
import dev.flagroute.router.FlagRouter;
import dev.flagroute.router.RoutingMode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.FixedBackOff;

/** A KafkaTemplate and a listener container of Spring Kafka, wired as an application would, on a real broker. */
@SuppressWarnings("try") // scopes are held, not read
class SpringKafkaTest {
  private final List<Boolean> outcomes = new CopyOnWriteArrayList<>();
  private final FlagRouter relay = FlagRouter.builder(TestFlags.ROUTES).mode(RoutingMode.RELAY)
      .listener(new RoutingListener() {
        @Override
        public void completed(FlagContext flags, RequestOutcome outcome) {
          outcomes.add(outcome.failed());
        }
      }).build();

  @Test
  void theTemplateStampsSkipsShadowsAndTheListenerRunsInTheRecordsFlags() throws Exception {
    String topic = TestCluster.topic("spring", 1);
    FlagProducer.Builder stamping = FlagProducer.builder(relay.codec());
    DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(
        TestCluster.producerConfig(), new StringSerializer(), new StringSerializer());
    producers.addPostProcessor(new FlagProducerPostProcessor<>(stamping));
    KafkaTemplate<String, String> template = new KafkaTemplate<>(producers);
    try (FlagScope ignored = TestFlags.lane("v2").makeCurrent()) {
      template.send(topic, "v2", "x").get(1, TimeUnit.MINUTES);
    }
    try (FlagScope ignored = TestFlags.lane("v3").asShadow().makeCurrent()) {
      assertThat(template.send(topic, "shadow", "x").get(1, TimeUnit.MINUTES).getRecordMetadata().hasOffset()).isFalse();
    }
    try (FlagScope ignored = TestFlags.lane("v3").makeCurrent()) {
      template.send(topic, "fails", "x").get(1, TimeUnit.MINUTES);
    }
    template.send(topic, "none", "x").get(1, TimeUnit.MINUTES);
    producers.destroy();
    assertThat(stamping.shadowSendsSkipped()).isOne();

    Map<String, String> seen = new ConcurrentHashMap<>();
    ContainerProperties properties = new ContainerProperties(topic);
    properties.setMessageListener((MessageListener<String, String>) (ConsumerRecord<String, String> record) -> {
      seen.putIfAbsent(record.key(), FlagContext.current().variantSummary());
      if (record.key().equals("fails")) {
        throw new IllegalStateException("listener failure");
      }
    });
    KafkaMessageListenerContainer<String, String> container = new KafkaMessageListenerContainer<>(
        new DefaultKafkaConsumerFactory<>(TestCluster.consumerConfig(TestCluster.group("spring")),
            new StringDeserializer(), new StringDeserializer()), properties);
    container.setRecordInterceptor(new FlagRecordInterceptor<>(FlagRecords.builder(relay).build()));
    container.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(0, 0)));
    container.start();
    try {
      long deadline = System.nanoTime() + TestCluster.patience().toNanos();
      while (seen.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      container.stop();
    }

    assertThat(seen).containsOnly(Map.entry("v2", "lane=v2,search=on"), Map.entry("fails", "lane=v3,search=on"),
        Map.entry("none", "lane=v1,search=off"));
    assertThat(outcomes).as("one outcome per record, the failed listener's failed").containsExactlyInAnyOrder(false, true, false);
  }
}
