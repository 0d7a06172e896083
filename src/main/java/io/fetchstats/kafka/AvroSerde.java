package io.fetchstats.kafka;

import io.fetchstats.avro.UrlRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for every generated record type, in Avro single-object encoding (marker, schema
 * fingerprint, binary body): any consumer can tell which schema wrote a record without a schema
 * registry. Records written with an earlier version of a schema (kept as {@code
 * schemas/previous/<Name>.v<N>.avsc}) are read too, resolved to the current one.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  /** Avro's length limits, set to the largest record (see {@link #limitLengths}). */
  private static final List<String> LIMITS =
      List.of(
          SystemLimitException.MAX_BYTES_LENGTH_PROPERTY,
          SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
          SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY);

  static {
    trustGeneratedRecords();
    limitLengths();
  }

  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final String schemaName;

  private AvroSerde(Schema schema) {
    SpecificData model = SpecificData.getForSchema(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    this.schemaName = schema.getName();
    previousVersions(schema.getName()).forEach(decoder::addSchema);
  }

  /** The earlier versions of a schema, oldest first. */
  public static List<Schema> previousVersions(String name) {
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = "/schemas/previous/" + name + ".v" + version + ".avsc";
      try (InputStream in = AvroSerde.class.getResourceAsStream(resource)) {
        if (in == null) {
          return versions;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
  }

  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(SpecificData.get().getSchema(type));
  }

  public byte[] encode(T value) {
    try {
      ByteBuffer buffer = encoder.encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes single-object encoded bytes; throws {@link SerializationException} with the reason. */
  public T decode(byte[] bytes) {
    if (!isSingleObjectEncoded(bytes)) {
      throw new SerializationException(
          (bytes.length == 0 ? "an empty value" : "not Avro single-object encoding")
              + " where an Avro "
              + schemaName
              + " was expected (such a record starts with the bytes C3 01 and the 8-byte"
              + " fingerprint of its schema)");
    }
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new SerializationException(
          String.format(
              "an Avro record of another schema (fingerprint %016x) where an Avro %s was expected",
              ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), schemaName),
          e);
    } catch (IOException | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new SerializationException(
          "a truncated or malformed Avro " + schemaName + " record: " + cause, e);
    }
  }

  /** Whether the bytes start with the Avro single-object marker (0xC3 0x01). */
  public static boolean isSingleObjectEncoded(byte[] bytes) {
    return bytes != null
        && bytes.length >= 10
        && bytes[0] == (byte) 0xC3
        && bytes[1] == (byte) 0x01;
  }

  /**
   * A record of the pipeline is at most {@link KafkaClients#MAX_RECORD_BYTES}, and so is any
   * string, bytes or array in it. Avro allocates what a length prefix claims before it reads the
   * bytes, so without these limits a 15-byte record claiming a string of 1 GiB fills the heap. Avro
   * reads the properties once, when it first checks a length; the user's own settings win.
   */
  private static void limitLengths() {
    for (String property : LIMITS) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, String.valueOf(KafkaClients.MAX_RECORD_BYTES));
      }
    }
  }

  /**
   * Fails unless Avro's length limits are in force: a stage that reads records any producer writes
   * must not start without them. They are not if something decoded Avro before this class was
   * loaded; {@code main} loads it first.
   */
  public static void requireLengthLimits() {
    long over = KafkaClients.MAX_RECORD_BYTES + 1L;
    try {
      SystemLimitException.checkMaxStringLength(over);
    } catch (SystemLimitException expected) {
      try {
        SystemLimitException.checkMaxBytesLength(over);
      } catch (SystemLimitException alsoExpected) {
        return;
      }
    }
    throw new IllegalStateException(
        "Avro read its length limits before fetchstats could set them, so a malformed record"
            + " could claim a length that exhausts the heap; start the JVM with "
            + String.join(
                " ",
                LIMITS.stream().map(p -> "-D" + p + "=" + KafkaClients.MAX_RECORD_BYTES).toList()));
  }

  /**
   * Avro 1.12 refuses to instantiate classes it has not been told to trust (CVE-2024-47561); our
   * generated records, and only they, are trusted.
   */
  private static void trustGeneratedRecords() {
    ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    if (!current.isTrusted(UrlRequest.class)) {
      String generated = UrlRequest.class.getPackageName();
      ClassSecurityValidator.setGlobal(
          ClassSecurityValidator.composite(
              current, type -> type.getPackageName().equals(generated)));
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }
}
