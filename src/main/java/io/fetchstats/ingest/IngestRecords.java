package io.fetchstats.ingest;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.domain.Keys;
import io.fetchstats.kafka.DeadLetters;
import io.fetchstats.kafka.Topics;
import io.fetchstats.parse.Format;
import java.nio.ByteBuffer;
import java.time.Clock;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The records the ingest stage publishes: a body's chunks, a request's outcome, dead letters. */
final class IngestRecords {
  private final Topics topics;
  private final Clock clock;

  /** {@code clock} stamps outcomes with when they were fetched. */
  IngestRecords(Topics topics, Clock clock) {
    this.topics = topics;
    this.clock = clock;
  }

  /** Chunk {@code seq} of the body fetch {@code fetchId} of {@code request} reads. */
  ProducerRecord<byte[], byte[]> chunk(
      UrlRequests.Request request,
      long fetchId,
      int seq,
      Format format,
      String header,
      byte[] data) {
    Chunk chunk =
        new Chunk(
            request.jobId(),
            request.url(),
            request.requestId(),
            seq,
            format.name(),
            header,
            ByteBuffer.wrap(data),
            fetchId);
    return topics
        .chunks()
        .record(Keys.chunk(request.jobId(), request.url(), request.requestId(), seq), chunk);
  }

  /**
   * The request's one outcome, of its fetch {@code fetchId}; {@code duplicateOf} names the first
   * request of the same URL, whose result this repeats without its body (nothing of it is counted
   * twice), or is null.
   */
  ProducerRecord<byte[], byte[]> outcome(
      UrlRequests.Request request, long fetchId, FetchResult result, String duplicateOf) {
    FetchOutcome first =
        result.outcome(
            request.jobId(), request.url(), request.requestId(), fetchId, clock.instant());
    // A repeat's result names the first listing and counts nothing of the body again.
    FetchOutcome outcome =
        duplicateOf == null
            ? first
            : FetchOutcome.newBuilder(first)
                .setBytes(0)
                .setChunkCount(0)
                .setLatencyMs(0)
                .setAttempts(0)
                .setDuplicateOf(duplicateOf)
                .build();
    return topics
        .fetches()
        .record(Keys.request(request.jobId(), request.url(), request.requestId()), outcome);
  }

  /** A record of the urls topic that cannot be read (wholly or partly), with the reason. */
  ProducerRecord<byte[], byte[]> deadLetter(DeadLetters.Letter letter) {
    return letter.toRecord(topics.deadLetters().name());
  }
}
