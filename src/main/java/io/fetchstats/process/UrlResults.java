package io.fetchstats.process;

import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.UrlAggregate;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.domain.FailureClass;
import java.util.List;

/** The published view of one URL request, and whether it failed. */
final class UrlResults {
  private UrlResults() {}

  /** Whether the request repeats a URL its job listed before (see FetchOutcome.duplicateOf). */
  static boolean isDuplicate(UrlAggregate url) {
    return url.getOutcome() != null && url.getOutcome().getDuplicateOf() != null;
  }

  /**
   * Whether the cells of a completed URL with this failure (null: none) count, in its result and
   * its job: a body without numbers was read whole, so its cells count (as non-numeric or missing);
   * a failed fetch or parse may have published part of a body, which depends on where the body was
   * cut (broken JSON is cut wherever a chunk fills up): none of it counts.
   */
  static boolean cellsCount(UrlFailure failure) {
    return failure == null || FailureClass.NO_NUMBERS.name().equals(failure.getErrorClass());
  }

  /** Why a completed URL gives no statistics, or null when it succeeded. */
  static UrlFailure failureOf(UrlAggregate url) {
    FetchOutcome outcome = url.getOutcome();
    if (!outcome.getOk()) {
      return new UrlFailure(url.getUrl(), outcome.getErrorClass(), outcome.getError());
    }
    if (url.getParseError() != null) {
      String failure =
          url.getErrorClass() == null ? FailureClass.PARSE_ERROR.name() : url.getErrorClass();
      return new UrlFailure(url.getUrl(), failure, url.getParseError());
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
            .setRaggedRows(url.getRaggedRows());
    UrlFailure failure = outcome != null && progress.completedNow() ? failureOf(url) : null;
    result.setFields(cellsCount(failure) ? StatsCodec.results(url.getFields()) : List.of());
    if (outcome != null) {
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
