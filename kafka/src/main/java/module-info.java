/**
 * flagroute for Kafka.
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
