/** flagroute for Kafka. */
package dev.flagroute.kafka;
