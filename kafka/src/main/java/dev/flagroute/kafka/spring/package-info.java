/**
 * Spring Kafka support, for applications that have {@code org.springframework.kafka:spring-kafka}:
 * {@link dev.flagroute.kafka.spring.FlagRecordInterceptor} makes each record's flags current
 * while a listener container's listener processes it, and
 * {@link dev.flagroute.kafka.spring.FlagProducerPostProcessor} stamps (and keeps shadows from
 * sending) on the producers behind a {@code KafkaTemplate}.
 */
package dev.flagroute.kafka.spring;
