package io.fetchstats.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records that could not be processed go to the dead-letters topic as they were, with headers
 * that say why and where they came from.
 */
public final class DeadLetters {
  public static final String REASON = "fetchstats.reason";
  public static final String TOPIC = "fetchstats.topic";
  public static final String PARTITION = "fetchstats.partition";
  public static final String OFFSET = "fetchstats.offset";

  private DeadLetters() {}

  public static ProducerRecord<byte[], byte[]> of(
      String deadLetterTopic, ConsumerRecord<byte[], byte[]> source, String reason) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, utf8(reason));
    headers.add(TOPIC, utf8(source.topic()));
    headers.add(PARTITION, utf8(String.valueOf(source.partition())));
    headers.add(OFFSET, utf8(String.valueOf(source.offset())));
    return new ProducerRecord<>(deadLetterTopic, null, source.key(), source.value(), headers);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
