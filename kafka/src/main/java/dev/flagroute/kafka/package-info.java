/**
 * Flags through Kafka. Producers stamp the current {@link dev.flagroute.context.FlagContext} into
 * record headers ({@link dev.flagroute.kafka.FlagProducer},
 * {@link dev.flagroute.kafka.FlagProducerInterceptor}); consumers make each record's flags current
 * while it is processed ({@link dev.flagroute.kafka.FlagRecords}); and
 * {@link dev.flagroute.kafka.LaneConsumer} has each record processed by the version of the
 * consuming service that its flags route to.
 */
package dev.flagroute.kafka;
