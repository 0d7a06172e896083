package io.fetchstats.kafka;

import io.fetchstats.domain.Keys;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads the records of a topic that any producer may write to: decodes the value and checks it
 * against its key and the rules its writer keeps. Whatever arrives (no value, an empty or oversized
 * one, garbage, truncated Avro, a record of another schema, a key of another record, a value no
 * writer of ours makes) is either a record to process or a reason a person can read, for
 * dead-letters. Pure: no Kafka client here.
 *
 * @param <T> the record type the topic holds
 */
public final class InputReader<T extends SpecificRecord> {
  private final Class<T> recordType;
  private final AvroSerde<T> serde;
  private final String type;
  private final Function<T, String> keyOf;
  private final Function<T, String> problemOf;
  private final boolean keyRequired;

  /**
   * What was read: the record and its key, or the class of what went wrong ({@link
   * SerializationException} for bytes that are no such record, {@link InvalidRecordException} for a
   * record that breaks a rule) and why.
   */
  public record Read<T>(String key, T value, String exception, String reason) {
    static <T> Read<T> refused(Class<? extends Exception> exception, String reason) {
      return new Read<>(null, null, exception.getName(), reason);
    }

    public boolean ok() {
      return reason == null;
    }
  }

  /**
   * @param keyOf the key the pipeline's writers give a record (a record must carry exactly it)
   * @param problemOf why a decoded record cannot be processed, or null if it can; runs before
   *     {@code keyOf}, so that sees only records that keep the rules
   */
  public InputReader(Class<T> type, Function<T, String> keyOf, Function<T, String> problemOf) {
    this(type, keyOf, problemOf, true);
  }

  private InputReader(
      Class<T> type,
      Function<T, String> keyOf,
      Function<T, String> problemOf,
      boolean keyRequired) {
    this.recordType = type;
    this.serde = AvroSerde.of(type);
    this.type = type.getSimpleName();
    this.keyOf = keyOf;
    this.problemOf = problemOf;
    this.keyRequired = keyRequired;
  }

  /** This reader, but a record may also come without a key (a topic people write to by hand). */
  public InputReader<T> keyOptional() {
    return new InputReader<>(recordType, keyOf, problemOf, false);
  }

  public Read<T> read(byte[] key, byte[] value) {
    if (value == null) {
      return Read.refused(
          InvalidRecordException.class, "no value (a tombstone): expected an Avro " + type);
    }
    if (value.length > KafkaClients.MAX_RECORD_BYTES) {
      return Read.refused(
          InvalidRecordException.class,
          "a value of "
              + value.length
              + " bytes, over the largest record the pipeline writes ("
              + KafkaClients.MAX_RECORD_BYTES
              + " bytes)");
    }
    T record;
    try {
      record = serde.decode(value);
    } catch (SerializationException e) {
      return Read.refused(SerializationException.class, e.getMessage());
    }
    String problem = problemOf.apply(record);
    if (problem != null) {
      return Read.refused(InvalidRecordException.class, "an invalid " + type + ": " + problem);
    }
    String expected = keyOf.apply(record);
    if (key == null && !keyRequired) {
      return new Read<>(expected, record, null, null);
    }
    if (key == null) {
      return Read.refused(
          InvalidRecordException.class,
          "no key: a " + type + " is keyed '" + Keys.abbreviate(expected) + "'");
    }
    String actual = new String(key, StandardCharsets.UTF_8);
    if (!actual.equals(expected)) {
      return Read.refused(
          InvalidRecordException.class,
          "the key '"
              + Keys.abbreviate(actual)
              + "' does not match the "
              + type
              + "'s '"
              + Keys.abbreviate(expected)
              + "'");
    }
    return new Read<>(expected, record, null, null);
  }
}
