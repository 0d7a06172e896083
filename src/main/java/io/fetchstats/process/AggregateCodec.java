package io.fetchstats.process;

import io.fetchstats.avro.ChunkStats;
import io.fetchstats.avro.UrlEvent;
import io.fetchstats.domain.FetchOutcome;
import io.fetchstats.domain.Fields;
import io.fetchstats.domain.JobAggregate;
import io.fetchstats.domain.JobTerms;
import io.fetchstats.domain.RequestFetches;
import io.fetchstats.domain.UrlAggregate;
import io.fetchstats.domain.UrlFailure;
import io.fetchstats.kafka.AvroSerde;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Converts the aggregates between their domain values, which the aggregators merge, and their Avro
 * forms, which the state stores and the job-events topic hold (schemas/UrlAggregate.avsc and
 * schemas/JobAggregate.avsc, with their history: the stores read what earlier versions wrote).
 */
final class AggregateCodec {
  private AggregateCodec() {}

  /**
   * The URL aggregates store's values: the domain value, stored in its Avro form (the main fetch,
   * with the others in its {@code otherFetches}).
   */
  static Serde<RequestFetches> urlAggregates() {
    return stored(
        io.fetchstats.avro.UrlAggregate.class,
        request -> {
          io.fetchstats.avro.UrlAggregate main = toAvro(request.main());
          main.setOtherFetches(request.others().stream().map(AggregateCodec::toAvro).toList());
          return main;
        },
        main ->
            new RequestFetches(
                fromAvro(main),
                main.getOtherFetches().stream().map(AggregateCodec::fromAvro).toList()));
  }

  /** The job aggregates store's values: the domain value, stored in its Avro form. */
  static Serde<JobAggregate> jobAggregates() {
    return stored(
        io.fetchstats.avro.JobAggregate.class, AggregateCodec::toAvro, AggregateCodec::fromAvro);
  }

  private static <T, A extends SpecificRecord> Serde<T> stored(
      Class<A> type, Function<T, A> toAvro, Function<A, T> fromAvro) {
    AvroSerde<A> avro = AvroSerde.of(type);
    return Serdes.serdeFrom(
        (topic, value) -> value == null ? null : avro.encode(toAvro.apply(value)),
        (topic, bytes) -> bytes == null ? null : fromAvro.apply(avro.decode(bytes)));
  }

  /** The request's aggregate of this one event: a chunk counted, or the outcome. */
  static UrlAggregate event(UrlEvent event) {
    if (event.getEvent() instanceof ChunkStats chunk) {
      return new UrlAggregate(
          chunk.getJobId(),
          chunk.getUrl(),
          chunk.getRequestId(),
          null,
          1,
          chunk.getRows(),
          chunk.getRaggedRows(),
          StatsCodec.fromAvro(chunk.getFields()),
          chunk.getError(),
          chunk.getErrorClass(),
          chunk.getFetchId());
    }
    io.fetchstats.avro.FetchOutcome avro = (io.fetchstats.avro.FetchOutcome) event.getEvent();
    FetchOutcome outcome = fromAvro(avro);
    return new UrlAggregate(
        outcome.jobId(),
        outcome.url(),
        outcome.requestId(),
        outcome,
        0,
        0,
        0,
        Fields.EMPTY,
        null,
        null,
        avro.getFetchId());
  }

  static io.fetchstats.avro.UrlAggregate toAvro(UrlAggregate url) {
    return new io.fetchstats.avro.UrlAggregate(
        url.jobId(),
        url.url(),
        url.requestId(),
        url.outcome() == null ? null : toAvro(url.outcome(), url.fetchId()),
        url.chunksCounted(),
        url.rows(),
        url.raggedRows(),
        StatsCodec.toAvro(url.fields()),
        url.parseError(),
        url.errorClass(),
        url.fetchId(),
        List.of());
  }

  static UrlAggregate fromAvro(io.fetchstats.avro.UrlAggregate url) {
    return new UrlAggregate(
        url.getJobId(),
        url.getUrl(),
        url.getRequestId(),
        url.getOutcome() == null ? null : fromAvro(url.getOutcome()),
        url.getChunksCounted(),
        url.getRows(),
        url.getRaggedRows(),
        StatsCodec.fromAvro(url.getFields()),
        url.getParseError(),
        url.getErrorClass(),
        url.getFetchId());
  }

  private static io.fetchstats.avro.JobAggregate toAvro(JobAggregate job) {
    JobTerms terms = job.terms();
    return new io.fetchstats.avro.JobAggregate(
        job.jobId(),
        job.urlsExpected(),
        job.urlsCompleted(),
        job.urlsFailed(),
        job.urlsDuplicate(),
        job.bytes(),
        job.chunks(),
        job.rows(),
        job.raggedRows(),
        StatsCodec.toAvro(job.fields()),
        toAvro(job.failures()),
        job.fieldsOmittedFrom(),
        terms.submittedAt(),
        terms.format(),
        terms.retryOf(),
        terms.cancelledAt(),
        job.urlsCancelled());
  }

  private static JobAggregate fromAvro(io.fetchstats.avro.JobAggregate job) {
    return new JobAggregate(
        job.getJobId(),
        job.getUrlsExpected(),
        job.getUrlsCompleted(),
        job.getUrlsFailed(),
        job.getUrlsCancelled(),
        job.getUrlsDuplicate(),
        job.getBytes(),
        job.getChunks(),
        job.getRows(),
        job.getRaggedRows(),
        StatsCodec.fromAvro(job.getFields()),
        job.getFailures().stream()
            .map(f -> new UrlFailure(f.getUrl(), f.getErrorClass(), f.getError()))
            .toList(),
        job.getFieldsOmittedFrom(),
        new JobTerms(
            job.getSubmittedAt(), job.getFormat(), job.getRetryOf(), job.getCancelledAt()));
  }

  /** Failures as a job's result and its stored state list them. */
  static List<io.fetchstats.avro.UrlFailure> toAvro(List<UrlFailure> failures) {
    return failures.stream()
        .map(f -> new io.fetchstats.avro.UrlFailure(f.url(), f.errorClass(), f.error()))
        .toList();
  }

  private static io.fetchstats.avro.FetchOutcome toAvro(FetchOutcome outcome, Long fetchId) {
    return new io.fetchstats.avro.FetchOutcome(
        outcome.jobId(),
        outcome.url(),
        outcome.requestId(),
        outcome.ok(),
        outcome.status(),
        outcome.protocol(),
        outcome.errorClass(),
        outcome.error(),
        outcome.contentType(),
        outcome.format(),
        outcome.bytes(),
        outcome.chunkCount(),
        outcome.sha256(),
        outcome.latencyMs(),
        outcome.attempts(),
        outcome.fetchedAt(),
        outcome.duplicateOf(),
        fetchId);
  }

  private static FetchOutcome fromAvro(io.fetchstats.avro.FetchOutcome outcome) {
    return new FetchOutcome(
        outcome.getJobId(),
        outcome.getUrl(),
        outcome.getRequestId(),
        outcome.getOk(),
        outcome.getStatus(),
        outcome.getProtocol(),
        outcome.getErrorClass(),
        outcome.getError(),
        outcome.getContentType(),
        outcome.getFormat(),
        outcome.getBytes(),
        outcome.getChunkCount(),
        outcome.getSha256(),
        outcome.getLatencyMs(),
        outcome.getAttempts(),
        outcome.getFetchedAt(),
        outcome.getDuplicateOf());
  }
}
