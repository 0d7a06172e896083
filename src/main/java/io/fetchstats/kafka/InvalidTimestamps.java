package io.fetchstats.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * A record's own timestamp, or for one without a valid timestamp (a producer may write -1) the
 * partition's time so far (0 before its first record): Kafka Streams' default fails the stream
 * thread on such a record, before the topology could read it or dead-letter it. No result depends
 * on record time.
 */
public final class InvalidTimestamps implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
  }
}
