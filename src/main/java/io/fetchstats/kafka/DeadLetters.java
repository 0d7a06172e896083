package io.fetchstats.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records that could not be read go to the dead-letters topic as they were, with headers that say
 * why and where they came from. The header names are those Kafka Streams' dead-letter queue writes,
 * so the topic has one scheme whichever stage wrote a record.
 */
public final class DeadLetters {
  public static final String EXCEPTION = "__streams.errors.exception";
  public static final String MESSAGE = "__streams.errors.message";
  public static final String TOPIC = "__streams.errors.topic";
  public static final String PARTITION = "__streams.errors.partition";
  public static final String OFFSET = "__streams.errors.offset";

  private DeadLetters() {}

  /** A dead letter for a record whose bytes cannot be read. */
  public static ProducerRecord<byte[], byte[]> unreadable(
      String deadLetterTopic, ConsumerRecord<byte[], byte[]> source, String reason) {
    return new ProducerRecord<>(
        deadLetterTopic,
        null,
        source.key(),
        source.value(),
        headers(
            SerializationException.class.getName(),
            reason,
            source.topic(),
            source.partition(),
            source.offset()));
  }

  /**
   * The headers of a dead letter: what went wrong ({@code exception}, a class or failure class),
   * why, and where the record was.
   */
  public static Headers headers(
      String exception, String reason, String topic, int partition, long offset) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(EXCEPTION, utf8(exception));
    headers.add(MESSAGE, utf8(reason));
    headers.add(TOPIC, utf8(topic));
    headers.add(PARTITION, utf8(String.valueOf(partition)));
    headers.add(OFFSET, utf8(String.valueOf(offset)));
    return headers;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
