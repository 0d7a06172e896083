package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.UrlRequest;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.parse.Format;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class UrlRequestsTest {
  @Test
  void plainTextHasOneUrlALineAndTheKeyIsTheJob() {
    UrlRequests.Parsed parsed =
        UrlRequests.parse(record("job-7", "http://a/1.csv\r\n\n# a comment\n  http://a/2.txt  \n"));

    assertThat(parsed.error()).isNull();
    assertThat(parsed.requests())
        .containsExactly(
            new UrlRequests.Request("job-7", "http://a/1.csv", "3:42:0", 0, null),
            new UrlRequests.Request("job-7", "http://a/2.txt", "3:42:3", 3, null));
  }

  @Test
  void plainTextWithoutKeyGoesToTheDefaultJob() {
    assertThat(UrlRequests.parse(record(null, "http://a/1.csv")).requests())
        .singleElement()
        .satisfies(r -> assertThat(r.jobId()).isEqualTo(UrlRequests.DEFAULT_JOB));
  }

  @Test
  void avroRequestsCarryTheirOwnJob() {
    byte[] value =
        AvroSerde.of(UrlRequest.class).encode(new UrlRequest("job-9", "https://x/y.csv", null));

    assertThat(UrlRequests.parse(new ConsumerRecord<>("urls", 3, 42, null, value)).requests())
        .containsExactly(new UrlRequests.Request("job-9", "https://x/y.csv", "3:42:0", 0, null));
  }

  @Test
  void anAvroRequestMayNameTheFormatOfItsBody() {
    AvroSerde<UrlRequest> serde = AvroSerde.of(UrlRequest.class);
    byte[] csv = serde.encode(new UrlRequest("job-9", "https://x/export", "csv"));
    byte[] xml = serde.encode(new UrlRequest("job-9", "https://x/export", "xml"));

    assertThat(UrlRequests.parse(new ConsumerRecord<>("urls", 3, 42, null, csv)).requests())
        .singleElement()
        .satisfies(r -> assertThat(r.format()).isEqualTo(Format.CSV));
    UrlRequests.Parsed unknown = UrlRequests.parse(new ConsumerRecord<>("urls", 3, 43, null, xml));
    assertThat(unknown.requests()).isEmpty();
    assertThat(unknown.error()).contains("unknown format 'xml'");
  }

  @Test
  void brokenAvroAndBinaryGarbageAreExplained() {
    byte[] brokenAvro = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    byte[] garbage = {(byte) 0xFF, (byte) 0xFE, 0, 1};

    assertThat(UrlRequests.parse(new ConsumerRecord<>("urls", 0, 1, null, brokenAvro)).error())
        .contains("where an Avro UrlRequest was expected");
    assertThat(UrlRequests.parse(new ConsumerRecord<>("urls", 0, 2, null, garbage)).error())
        .contains("neither an Avro UrlRequest nor UTF-8 text");
  }

  private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
    return new ConsumerRecord<>(
        "urls",
        3,
        42,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }
}
