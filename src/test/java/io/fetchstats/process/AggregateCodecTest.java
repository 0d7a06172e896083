package io.fetchstats.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.ChunkStats;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.JobAggregate;
import io.fetchstats.avro.UrlAggregate;
import io.fetchstats.avro.UrlEvent;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.domain.Fields;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.stats.FieldAccumulator;
import io.fetchstats.stats.FieldStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The stores hold the aggregates in the Avro forms they always had: what an earlier version wrote
 * reads back, and is written again, byte for byte.
 */
class AggregateCodecTest {
  private static final String STORE = "a-store-changelog";

  @Test
  void aStoredUrlAggregateReadsAndWritesBackUnchanged() {
    UrlAggregate stored =
        new UrlAggregate(
            "job",
            "http://h/a.csv",
            "0:0:1",
            outcome(),
            2,
            7L,
            1L,
            List.of(field("a", 1.5, -2), field("b", 1e300)),
            null,
            null,
            null,
            List.of());

    assertRoundTrip(AvroSerde.of(UrlAggregate.class), AggregateCodec.urlAggregates(), stored);
  }

  @Test
  void aRequestFetchedTwiceIsStoredWithItsOtherFetch() {
    UrlAggregate other =
        new UrlAggregate(
            "job",
            "http://h/a.csv",
            "0:0:1",
            null,
            1,
            3L,
            0L,
            List.of(field("a", 4)),
            null,
            null,
            9L,
            List.of());
    UrlAggregate stored =
        new UrlAggregate(
            "job",
            "http://h/a.csv",
            "0:0:1",
            null,
            2,
            7L,
            1L,
            List.of(field("a", 1.5, -2)),
            null,
            null,
            5L,
            List.of(other));

    assertRoundTrip(AvroSerde.of(UrlAggregate.class), AggregateCodec.urlAggregates(), stored);
  }

  @Test
  void aStoredJobAggregateReadsAndWritesBackUnchanged() {
    JobAggregate stored =
        new JobAggregate(
            "job",
            null,
            3,
            2,
            1,
            300L,
            4L,
            9L,
            0L,
            List.of(field("a", 0.25), field("c", -0.0)),
            List.of(new UrlFailure("http://h/b.csv", "HTTP_STATUS", "503")),
            "d",
            1_000L,
            "CSV",
            "job-0",
            2_000L,
            1);

    assertRoundTrip(AvroSerde.of(JobAggregate.class), AggregateCodec.jobAggregates(), stored);
  }

  @Test
  void aChunkIsARequestWithOneChunkCounted() {
    ChunkStats chunk =
        new ChunkStats(
            "job", "http://h/a.csv", "0:0:1", 3, 5L, 1L, List.of(field("a", 2)), null, null, 8L);

    io.fetchstats.domain.UrlAggregate event = AggregateCodec.event(new UrlEvent(chunk));

    assertThat(event)
        .isEqualTo(
            new io.fetchstats.domain.UrlAggregate(
                "job",
                "http://h/a.csv",
                "0:0:1",
                null,
                1,
                5,
                1,
                Fields.of(Map.of("a", stats(2))),
                null,
                null,
                8L));
  }

  private static <A extends org.apache.avro.specific.SpecificRecord, T> void assertRoundTrip(
      AvroSerde<A> avro, Serde<T> store, A stored) {
    byte[] written = avro.encode(stored);

    T read = store.deserializer().deserialize(STORE, written);

    assertThat(store.serializer().serialize(STORE, read)).isEqualTo(written);
  }

  private static FetchOutcome outcome() {
    return FetchOutcome.newBuilder()
        .setJobId("job")
        .setUrl("http://h/a.csv")
        .setRequestId("0:0:1")
        .setOk(true)
        .setStatus(200)
        .setFormat("CSV")
        .setBytes(100)
        .setChunkCount(3)
        .setSha256("ab")
        .setLatencyMs(4)
        .setAttempts(1)
        .setFetchedAt(Instant.parse("2026-01-02T03:04:05Z"))
        .setDuplicateOf("0:0:0")
        .build();
  }

  private static io.fetchstats.avro.FieldStats field(String name, double... values) {
    return StatsCodec.toAvro(name, stats(values));
  }

  private static FieldStats stats(double... values) {
    FieldAccumulator accumulator = new FieldAccumulator();
    for (double value : values) {
      accumulator.add(value);
    }
    return accumulator.snapshot();
  }
}
