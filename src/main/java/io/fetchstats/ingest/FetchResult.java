package io.fetchstats.ingest;

import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import java.time.Duration;
import java.time.Instant;

/**
 * How a fetch went: one attempt as the {@link Fetcher} tells it, or all of them once the {@link
 * FetchScheduler} is done with the URL.
 *
 * @param status the HTTP status, or null when no response arrived
 * @param protocol the protocol of the last response ({@code http/1.1}, {@code h2}), or null
 * @param failure null for a successful fetch
 * @param chunks how many chunks were handed to the sink (also after a failure midway)
 * @param sha256 hex digest of the whole (decoded) body, null unless the body was read to its end
 * @param latencyMs from the start of the first attempt to the end of the last
 * @param transientFailure the failure may go away if the URL is fetched again
 * @param retryAfter the server's {@code Retry-After}, or null
 */
public record FetchResult(
    Integer status,
    String protocol,
    FailureClass failure,
    String error,
    String contentType,
    Format format,
    long bytes,
    int chunks,
    String sha256,
    long latencyMs,
    int attempts,
    boolean transientFailure,
    Duration retryAfter) {

  /** A URL of a cancelled job, not fetched: no attempt made, nothing read. */
  static FetchResult cancelled(Format format) {
    return new FetchResult(
        null,
        null,
        FailureClass.CANCELLED,
        "the job was cancelled before this URL was fetched",
        null,
        format == null ? Format.TEXT : format,
        0,
        0,
        null,
        0,
        0,
        false,
        null);
  }

  public boolean ok() {
    return failure == null;
  }

  /** The outcome record of this result, as ingest publishes it for a request's fetch. */
  public io.fetchstats.avro.FetchOutcome outcome(
      String jobId, String url, String requestId, long fetchId, Instant fetchedAt) {
    return io.fetchstats.avro.FetchOutcome.newBuilder()
        .setJobId(jobId)
        .setUrl(url)
        .setRequestId(requestId)
        .setOk(ok())
        .setStatus(status)
        .setProtocol(protocol)
        .setErrorClass(ok() ? null : failure.name())
        .setError(error)
        .setContentType(contentType)
        .setFormat(format.name())
        .setBytes(bytes)
        .setChunkCount(chunks)
        .setSha256(sha256)
        .setLatencyMs(latencyMs)
        .setAttempts(attempts)
        .setFetchedAt(fetchedAt)
        .setDuplicateOf(null)
        .setFetchId(fetchId)
        .build();
  }

  /** This result as the last of {@code attempts}, which took {@code latencyMs} in all. */
  FetchResult afterAttempts(int attempts, long latencyMs, String note) {
    String text = error == null || note == null ? error : error + " " + note;
    return new FetchResult(
        status,
        protocol,
        failure,
        text,
        contentType,
        format,
        bytes,
        chunks,
        sha256,
        latencyMs,
        attempts,
        transientFailure,
        retryAfter);
  }
}
