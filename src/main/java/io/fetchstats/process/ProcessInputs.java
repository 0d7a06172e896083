package io.fetchstats.process;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.JobCancellation;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.config.FetchSettings;
import io.fetchstats.domain.Keys;
import io.fetchstats.kafka.InputReader;
import io.fetchstats.parse.Format;

/**
 * The rules the records of the processor's input topics keep when a stage of the pipeline wrote
 * them: keyed as their writers key them, a valid job id, no negative counts, a known format, a
 * chunk no larger than the largest chunk size. Anything else is a dead letter.
 */
final class ProcessInputs {
  private ProcessInputs() {}

  static InputReader<Chunk> chunks() {
    return new InputReader<>(
        Chunk.class,
        chunk -> Keys.chunk(chunk.getJobId(), chunk.getUrl(), chunk.getRequestId(), chunk.getSeq()),
        chunk -> {
          if (chunk.getSeq() < 0) {
            return "seq " + chunk.getSeq() + " is negative";
          }
          if (chunk.getData().remaining() > FetchSettings.MAX_CHUNK_BYTES) {
            return chunk.getData().remaining()
                + " bytes of data, over the largest chunk size ("
                + FetchSettings.MAX_CHUNK_BYTES
                + " bytes)";
          }
          String problem = requestProblem(chunk.getJobId(), chunk.getUrl());
          return problem != null ? problem : formatProblem(chunk.getFormat());
        });
  }

  static InputReader<FetchOutcome> fetches() {
    return new InputReader<>(
        FetchOutcome.class,
        outcome -> Keys.request(outcome.getJobId(), outcome.getUrl(), outcome.getRequestId()),
        outcome -> {
          if (outcome.getChunkCount() < 0) {
            return "chunkCount " + outcome.getChunkCount() + " is negative";
          }
          if (outcome.getBytes() < 0) {
            return "bytes " + outcome.getBytes() + " is negative";
          }
          return requestProblem(outcome.getJobId(), outcome.getUrl());
        });
  }

  static InputReader<JobManifest> jobs() {
    return new InputReader<>(
        JobManifest.class,
        JobManifest::getJobId,
        manifest -> {
          if (manifest.getUrlCount() < 0) {
            return "urlCount " + manifest.getUrlCount() + " is negative";
          }
          String format = manifest.getFormat() == null ? null : formatProblem(manifest.getFormat());
          if (format != null) {
            return format;
          }
          String retryOf =
              manifest.getRetryOf() == null ? null : Keys.jobIdProblem(manifest.getRetryOf());
          return retryOf != null ? "retryOf: " + retryOf : Keys.jobIdProblem(manifest.getJobId());
        });
  }

  static InputReader<JobCancellation> cancellations() {
    return new InputReader<>(
        JobCancellation.class,
        JobCancellation::getJobId,
        cancellation -> Keys.jobIdProblem(cancellation.getJobId()));
  }

  private static String requestProblem(String jobId, String url) {
    if (url.length() > Keys.MAX_URL_LENGTH) {
      return "a URL of " + url.length() + " characters, over " + Keys.MAX_URL_LENGTH;
    }
    return Keys.jobIdProblem(jobId);
  }

  private static String formatProblem(String format) {
    try {
      Format.valueOf(format);
      return null;
    } catch (IllegalArgumentException e) {
      return "unknown format '" + Keys.abbreviate(format) + "'";
    }
  }
}
