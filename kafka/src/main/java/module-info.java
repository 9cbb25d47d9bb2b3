/**
 * flagroute for Kafka: flags travel in record headers and steer which version processes a record.
 *
 * <ul>
 *   <li>{@code dev.flagroute.kafka}: {@code FlagProducer} and {@code FlagProducerInterceptor}
 *       (stamping on send; shadows skipped unless asked), {@code FlagRecords} (a record's flags,
 *       current while it is processed), {@code LaneConsumer} and {@code LaneCounts} (lanes:
 *       selective consumption per version), {@code RecordHandler},
 *       {@code RecordProcessingException};
 *   <li>{@code dev.flagroute.kafka.spring}: {@code FlagRecordInterceptor} and
 *       {@code FlagProducerPostProcessor}, for applications with Spring Kafka (an optional,
 *       {@code static} dependency).
 * </ul>
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.flagroute.kafka {
  requires transitive dev.flagroute.core;
  requires transitive kafka.clients;
  requires org.slf4j;
  requires static spring.kafka;

  exports dev.flagroute.kafka;
  exports dev.flagroute.kafka.spring;
}
