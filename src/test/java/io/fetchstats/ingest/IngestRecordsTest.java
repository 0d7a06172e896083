package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.kafka.DeadLetters;
import io.fetchstats.kafka.Topics;
import io.fetchstats.parse.Format;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class IngestRecordsTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");
  private static final UrlRequests.Request REQUEST =
      new UrlRequests.Request("job-1", "http://example.org/a.csv", "0:7:2", 2, null);
  private static final FetchResult FETCHED =
      new FetchResult(
          200, "h2", null, null, "text/csv", Format.CSV, 1234, 3, "ab12", 56, 2, false, null);

  private final Topics topics = new Topics("t.");
  private final IngestRecords records = new IngestRecords(topics, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aChunkGoesToTheChunksTopicKeyedByItsRequestAndSequence() {
    byte[] data = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);

    ProducerRecord<byte[], byte[]> record = records.chunk(REQUEST, 77L, 4, Format.CSV, "a,b", data);

    assertThat(record.topic()).isEqualTo("t.chunks");
    assertThat(utf8(record.key())).isEqualTo("job-1|http://example.org/a.csv|0:7:2|4");
    Chunk chunk = topics.chunks().decode(record.value());
    assertThat(chunk)
        .isEqualTo(
            new Chunk(
                "job-1",
                "http://example.org/a.csv",
                "0:7:2",
                4,
                "CSV",
                "a,b",
                ByteBuffer.wrap(data),
                77L));
  }

  @Test
  void anOutcomeTellsHowTheFetchWent() {
    ProducerRecord<byte[], byte[]> record = records.outcome(REQUEST, 77L, FETCHED, null);

    assertThat(record.topic()).isEqualTo("t.fetches");
    assertThat(utf8(record.key())).isEqualTo("job-1|http://example.org/a.csv|0:7:2");
    FetchOutcome outcome = outcome(record);
    assertThat(outcome.getOk()).isTrue();
    assertThat(outcome.getStatus()).isEqualTo(200);
    assertThat(outcome.getProtocol()).isEqualTo("h2");
    assertThat(outcome.getErrorClass()).isNull();
    assertThat(outcome.getFormat()).isEqualTo("CSV");
    assertThat(outcome.getBytes()).isEqualTo(1234);
    assertThat(outcome.getChunkCount()).isEqualTo(3);
    assertThat(outcome.getSha256()).isEqualTo("ab12");
    assertThat(outcome.getLatencyMs()).isEqualTo(56);
    assertThat(outcome.getAttempts()).isEqualTo(2);
    assertThat(outcome.getFetchedAt()).isEqualTo(NOW);
    assertThat(outcome.getDuplicateOf()).isNull();
    assertThat(outcome.getFetchId()).isEqualTo(77L);
  }

  @Test
  void aFailedFetchNamesItsFailureClass() {
    FetchResult failed =
        new FetchResult(
            404,
            "http/1.1",
            FailureClass.HTTP_STATUS,
            "HTTP 404",
            null,
            Format.TEXT,
            0,
            0,
            null,
            9,
            1,
            false,
            null);

    FetchOutcome outcome = outcome(records.outcome(REQUEST, 77L, failed, null));

    assertThat(outcome.getOk()).isFalse();
    assertThat(outcome.getErrorClass()).isEqualTo("HTTP_STATUS");
    assertThat(outcome.getError()).isEqualTo("HTTP 404");
  }

  @Test
  void aDuplicateNamesItsFirstRequestAndCountsNothingOfItsBody() {
    FetchOutcome outcome = outcome(records.outcome(REQUEST, 77L, FETCHED, "0:7:0"));

    assertThat(outcome.getDuplicateOf()).isEqualTo("0:7:0");
    assertThat(outcome.getOk()).isTrue();
    assertThat(outcome.getSha256()).isEqualTo("ab12");
    assertThat(outcome.getBytes()).isZero();
    assertThat(outcome.getChunkCount()).isZero();
    assertThat(outcome.getLatencyMs()).isZero();
    assertThat(outcome.getAttempts()).isZero();
  }

  @Test
  void aDeadLetterGoesToTheDeadLettersTopic() {
    DeadLetters.Letter letter =
        DeadLetters.letter(
            "job".getBytes(StandardCharsets.UTF_8), new byte[0], "E", "why", "t.urls", 0, 3);

    ProducerRecord<byte[], byte[]> record = records.deadLetter(letter);

    assertThat(record.topic()).isEqualTo("t.dead-letters");
    assertThat(record.value()).isEmpty();
  }

  private FetchOutcome outcome(ProducerRecord<byte[], byte[]> record) {
    return topics.fetches().decode(record.value());
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
