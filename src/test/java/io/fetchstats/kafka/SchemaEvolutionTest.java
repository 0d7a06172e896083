package io.fetchstats.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.FetchOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every earlier version of a schema can be read by the current one (backward compatible). */
class SchemaEvolutionTest {

  static Stream<String> evolvedRecords() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("schemas", "previous"))) {
      return files
          .map(path -> path.getFileName().toString())
          .map(file -> file.substring(0, file.indexOf('.')))
          .distinct()
          .sorted()
          .toList()
          .stream();
    }
  }

  static Stream<String> records() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("schemas"))) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(file -> file.endsWith(".avsc"))
          .map(file -> file.substring(0, file.indexOf('.')))
          .sorted()
          .toList()
          .stream();
    }
  }

  /**
   * AvroSerde reads and writes with the generated records' own coders: they must read every version
   * as Avro's resolving walk of the schemas does, and write what it writes.
   */
  @ParameterizedTest
  @MethodSource("records")
  void theGeneratedCodersReadAndWriteAsAvrosSchemaWalkDoes(String name) throws Exception {
    Class<? extends SpecificRecord> type =
        Class.forName("io.fetchstats.avro." + name).asSubclass(SpecificRecord.class);
    Schema current = SpecificData.get().getSchema(type);
    AvroSerde<? extends SpecificRecord> serde = AvroSerde.of(type);
    List<Schema> writers = new ArrayList<>(AvroSerde.previousVersions(name));
    writers.add(current);
    SplittableRandom random = new SplittableRandom(name.hashCode());
    for (Schema writer : writers) {
      for (int run = 0; run < 50; run++) {
        ByteBuffer encoded =
            new BinaryMessageEncoder<>(GenericData.get(), writer)
                .encode(randomDatum(writer, random, 0));
        byte[] message = new byte[encoded.remaining()];
        encoded.get(message);
        // SpecificData.get() leaves the custom coders off: Avro walks the schemas.
        Object walked =
            new SpecificDatumReader<>(writer, current)
                .read(
                    null,
                    DecoderFactory.get().binaryDecoder(message, 10, message.length - 10, null));

        SpecificRecord coded = serde.decode(message);

        assertThat(coded).as("%s written as %s", name, writer).isEqualTo(walked);
        if (writer.equals(current)) {
          assertThat(encodeAny(serde, coded)).isEqualTo(message);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] encodeAny(AvroSerde<T> serde, Object value) {
    return serde.encode((T) value);
  }

  /** A random value of {@code schema}, as Avro's generic API holds it; arrays shrink with depth. */
  private static Object randomDatum(Schema schema, SplittableRandom random, int depth) {
    return switch (schema.getType()) {
      case RECORD -> {
        GenericData.Record record = new GenericData.Record(schema);
        schema
            .getFields()
            .forEach(f -> record.put(f.pos(), randomDatum(f.schema(), random, depth)));
        yield record;
      }
      case UNION ->
          randomDatum(
              schema.getTypes().get(random.nextInt(schema.getTypes().size())), random, depth);
      case ARRAY ->
          Stream.generate(() -> randomDatum(schema.getElementType(), random, depth + 1))
              .limit(random.nextInt(depth < 2 ? 4 : 2))
              .toList();
      case STRING -> "s" + random.nextInt(1000);
      case BYTES -> {
        byte[] bytes = new byte[random.nextInt(16)];
        random.nextBytes(bytes);
        yield ByteBuffer.wrap(bytes);
      }
      case INT -> random.nextInt();
      case LONG -> random.nextLong();
      case FLOAT -> (float) random.nextDouble();
      case DOUBLE -> random.nextDouble(-1e6, 1e6);
      case BOOLEAN -> random.nextBoolean();
      case NULL -> null;
      default -> throw new IllegalArgumentException("no schema of ours has a " + schema.getType());
    };
  }

  @ParameterizedTest
  @MethodSource("evolvedRecords")
  void theCurrentSchemaReadsEveryEarlierVersion(String name) throws ClassNotFoundException {
    Schema current = SpecificData.get().getSchema(Class.forName("io.fetchstats.avro." + name));
    List<Schema> previous = AvroSerde.previousVersions(name);

    assertThat(previous).isNotEmpty();
    for (Schema writer : previous) {
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(current, writer)
                  .getResult()
                  .getCompatibility())
          .as(name)
          .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @Test
  void anOutcomeWrittenBeforeDuplicatesAndProtocolsIsReadWithDefaults() throws IOException {
    Schema v1 = AvroSerde.previousVersions("FetchOutcome").get(0);
    GenericRecord old =
        new GenericRecordBuilder(v1)
            .set("jobId", "job")
            .set("url", "http://example.org/a.csv")
            .set("requestId", "0:1:0")
            .set("ok", true)
            .set("status", 200)
            .set("format", "CSV")
            .set("bytes", 10L)
            .set("chunkCount", 1)
            .set("latencyMs", 5L)
            .set("attempts", 1)
            .set("fetchedAt", 1_700_000_000_000L)
            .build();
    ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);

    FetchOutcome read = AvroSerde.of(FetchOutcome.class).decode(bytes);

    assertThat(read.getUrl()).isEqualTo("http://example.org/a.csv");
    assertThat(read.getStatus()).isEqualTo(200);
    assertThat(read.getDuplicateOf()).isNull();
    assertThat(read.getProtocol()).isNull();
  }
}
