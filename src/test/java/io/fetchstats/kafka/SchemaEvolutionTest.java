package io.fetchstats.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.FetchOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
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
