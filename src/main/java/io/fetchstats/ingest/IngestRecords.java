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
    boolean duplicate = duplicateOf != null;
    FetchOutcome outcome =
        FetchOutcome.newBuilder()
            .setJobId(request.jobId())
            .setUrl(request.url())
            .setRequestId(request.requestId())
            .setOk(result.ok())
            .setStatus(result.status())
            .setProtocol(result.protocol())
            .setErrorClass(result.ok() ? null : result.failure().name())
            .setError(result.error())
            .setContentType(result.contentType())
            .setFormat(result.format().name())
            .setBytes(duplicate ? 0 : result.bytes())
            .setChunkCount(duplicate ? 0 : result.chunks())
            .setSha256(result.sha256())
            .setLatencyMs(duplicate ? 0 : result.latencyMs())
            .setAttempts(duplicate ? 0 : result.attempts())
            .setFetchedAt(clock.instant())
            .setDuplicateOf(duplicateOf)
            .setFetchId(fetchId)
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
