package io.fetchstats.kafka;

import io.fetchstats.domain.Keys;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
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

  /**
   * The most bytes of key and value a dead letter copies: a record near the largest one a topic
   * takes would not fit in dead-letters once it has its headers, and refused there it would stop
   * the stage that writes it.
   */
  static final int MAX_COPIED_BYTES = KafkaClients.MAX_RECORD_BYTES - 64 * 1024;

  /** The most characters of a reason a dead letter carries (a few KiB of its headers at most). */
  static final int MAX_REASON_CHARS = 4096;

  private DeadLetters() {}

  /**
   * A dead letter: the record's key and value as they were (the value left out, and the reason
   * saying so, if the two are too large to copy), and headers that say what went wrong ({@code
   * exception}, a class or failure class), why, and where the record was.
   */
  public record Letter(byte[] key, byte[] value, Headers headers) {
    /** Why the record is a dead letter. */
    public String reason() {
      return new String(headers.lastHeader(MESSAGE).value(), StandardCharsets.UTF_8);
    }

    public ProducerRecord<byte[], byte[]> toRecord(String deadLetterTopic) {
      return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
    }
  }

  public static Letter letter(
      byte[] key,
      byte[] value,
      String exception,
      String reason,
      String topic,
      int partition,
      long offset) {
    // A reason may quote what it is about: kept short, so that the headers fit beside the record.
    reason = Keys.abbreviate(reason, MAX_REASON_CHARS);
    String where = " at " + topic + "-" + partition + "@" + offset + ")";
    if (length(key) + length(value) > MAX_COPIED_BYTES) {
      reason += " (the value, " + length(value) + " bytes, is not copied here: it is" + where;
      value = null;
    }
    if (length(key) > MAX_COPIED_BYTES) {
      reason += " (the key, " + length(key) + " bytes, is not copied here: it is" + where;
      key = null;
    }
    return new Letter(key, value, headers(exception, reason, topic, partition, offset));
  }

  private static long length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static Headers headers(
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
