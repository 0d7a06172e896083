package io.fetchstats.kafka;

import io.fetchstats.avro.UrlRequest;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
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
 *
 * <p>The format is Avro's {@code BinaryMessageEncoder}'s, but written through a buffered encoder
 * and read straight from the array: Avro's own message encoder and decoder go through streams a
 * byte at a time, which was most of the Avro cost of the stream threads in {@code bench pipeline}
 * (the url-events topic and the state stores carry thousands of sketch buckets per record).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  /** Avro's length limits, set to the largest record (see {@link #limitLengths}). */
  private static final List<String> LIMITS =
      List.of(
          SystemLimitException.MAX_BYTES_LENGTH_PROPERTY,
          SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
          SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY);

  private static final byte[] MARKER = {(byte) 0xC3, (byte) 0x01};

  /** The marker and the 8-byte fingerprint. */
  private static final int HEADER_BYTES = 10;

  static {
    trustGeneratedRecords();
    limitLengths();
  }

  /** The single-object marker, C3 01, and the fingerprint of the schema that writes. */
  private final byte[] header;

  private final DatumWriter<T> writer;

  /** A reader for each version of the schema (current and earlier), by its fingerprint. */
  private final Map<Long, DatumReader<T>> readers = new HashMap<>();

  private final String schemaName;

  private AvroSerde(Schema schema) {
    // The generated records' own encoders and decoders, not Avro's walk of the schema: Avro leaves
    // them off unless a system property turns them on for every user of its shared models.
    SpecificData model = new SpecificData(AvroSerde.class.getClassLoader());
    model.setCustomCoders(true);
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.writer = model.createDatumWriter(schema);
    this.header =
        ByteBuffer.allocate(HEADER_BYTES)
            .put(MARKER)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(fingerprint)
            .array();
    this.schemaName = schema.getName();
    readers.put(fingerprint, reader(model, schema, schema));
    for (Schema previous : previousVersions(schema.getName())) {
      readers.put(
          SchemaNormalization.parsingFingerprint64(previous), reader(model, previous, schema));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> DatumReader<T> reader(SpecificData model, Schema writer, Schema reader) {
    return (DatumReader<T>) model.createDatumReader(writer, reader);
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
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      out.write(header);
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      writer.write(value, encoder);
      encoder.flush();
      return out.toByteArray();
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
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    DatumReader<T> reader = readers.get(fingerprint);
    if (reader == null) {
      throw new SerializationException(
          String.format(
              "an Avro record of another schema (fingerprint %016x) where an Avro %s was expected",
              fingerprint, schemaName));
    }
    try {
      return reader.read(
          null,
          DecoderFactory.get()
              .binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null));
    } catch (IOException | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      // The array decoder tells how many bytes were missing; dead letters keep the reason the
      // stream decoder gave before, so that they read the same.
      String reason =
          cause instanceof EOFException ? EOFException.class.getName() : cause.toString();
      throw new SerializationException(
          "a truncated or malformed Avro " + schemaName + " record: " + reason, e);
    }
  }

  /** Whether the bytes start with the Avro single-object marker (0xC3 0x01). */
  public static boolean isSingleObjectEncoded(byte[] bytes) {
    return bytes != null
        && bytes.length >= HEADER_BYTES
        && bytes[0] == MARKER[0]
        && bytes[1] == MARKER[1];
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
