package io.fetchstats.process;

import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.UrlAggregate;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FailureClass;

/** The published view of one URL request, and whether it failed. */
final class UrlResults {
  private UrlResults() {}

  /** Whether the request repeats a URL its job listed before (see FetchOutcome.duplicateOf). */
  static boolean isDuplicate(UrlAggregate url) {
    return url.getOutcome() != null && url.getOutcome().getDuplicateOf() != null;
  }

  /** Why a completed URL gives no statistics, or null when it succeeded. */
  static UrlFailure failureOf(UrlAggregate url) {
    FetchOutcome outcome = url.getOutcome();
    if (!outcome.getOk()) {
      return new UrlFailure(url.getUrl(), outcome.getErrorClass(), outcome.getError());
    }
    if (url.getParseError() != null) {
      return new UrlFailure(url.getUrl(), FailureClass.PARSE_ERROR.name(), url.getParseError());
    }
    if (StatsCodec.numbers(url.getFields()) == 0) {
      long nonNumeric =
          url.getFields().stream().mapToLong(f -> f.getNonNumeric() + f.getNonFinite()).sum();
      long missing =
          url.getFields().stream().mapToLong(io.fetchstats.avro.FieldStats::getMissing).sum();
      return new UrlFailure(
          url.getUrl(),
          FailureClass.NO_NUMBERS.name(),
          "no numbers in "
              + outcome.getBytes()
              + " bytes ("
              + nonNumeric
              + " non-numeric and "
              + missing
              + " missing cells)");
    }
    return null;
  }

  static UrlResult of(UrlProgress progress) {
    UrlAggregate url = progress.aggregate();
    FetchOutcome outcome = url.getOutcome();
    UrlResult.Builder result =
        UrlResult.newBuilder()
            .setJobId(url.getJobId())
            .setUrl(url.getUrl())
            .setComplete(progress.completedNow())
            .setBytes(outcome == null ? 0 : outcome.getBytes())
            .setChunksCounted(url.getChunksCounted())
            .setRows(url.getRows())
            .setRaggedRows(url.getRaggedRows())
            .setFields(StatsCodec.results(url.getFields()));
    if (outcome != null) {
      UrlFailure failure = progress.completedNow() ? failureOf(url) : null;
      result
          .setOk(progress.completedNow() ? failure == null : outcome.getOk())
          .setStatus(outcome.getStatus())
          .setErrorClass(failure == null ? outcome.getErrorClass() : failure.getErrorClass())
          .setError(failure == null ? outcome.getError() : failure.getError())
          .setSha256(outcome.getSha256())
          .setLatencyMs(outcome.getLatencyMs())
          .setChunksExpected(outcome.getChunkCount());
    }
    return result.build();
  }
}
