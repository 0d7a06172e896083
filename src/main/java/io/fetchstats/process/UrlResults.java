package io.fetchstats.process;

import io.fetchstats.avro.UrlResult;
import io.fetchstats.domain.FetchOutcome;
import io.fetchstats.domain.UrlAggregate;
import io.fetchstats.domain.UrlFailure;
import java.util.List;

/** The published view of one URL request. */
final class UrlResults {
  private UrlResults() {}

  static UrlResult of(UrlProgress progress) {
    UrlAggregate url = progress.aggregate();
    FetchOutcome outcome = url.outcome();
    UrlResult.Builder result =
        UrlResult.newBuilder()
            .setJobId(url.jobId())
            .setUrl(url.url())
            .setComplete(progress.completedNow())
            .setBytes(outcome == null ? 0 : outcome.bytes())
            .setChunksCounted(url.chunksCounted())
            .setRows(url.rows())
            .setRaggedRows(url.raggedRows());
    UrlFailure failure = outcome != null && progress.completedNow() ? url.failure() : null;
    result.setFields(
        UrlAggregate.cellsCount(failure) ? StatsCodec.results(url.fields()) : List.of());
    if (outcome != null) {
      result
          .setOk(progress.completedNow() ? failure == null : outcome.ok())
          .setStatus(outcome.status())
          .setErrorClass(failure == null ? outcome.errorClass() : failure.errorClass())
          .setError(failure == null ? outcome.error() : failure.error())
          .setSha256(outcome.sha256())
          .setLatencyMs(outcome.latencyMs())
          .setChunksExpected(outcome.chunkCount());
    }
    return result.build();
  }
}
