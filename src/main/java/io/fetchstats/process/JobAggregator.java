package io.fetchstats.process;

import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.FieldStats;
import io.fetchstats.avro.JobAggregate;
import io.fetchstats.avro.JobEvent;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlAggregate;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.domain.Keys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges completed URL requests into their job, and publishes the job's result after each. A job is
 * complete once its manifest has arrived and as many URL requests as it announced completed.
 *
 * <p>A job's result carries the latest timestamp of its events so far: they arrive from every
 * partition of the URL events, not in the order they were written, and a result published with an
 * older timestamp than the one before it reads as an out-of-order update to a table of results.
 */
final class JobAggregator implements Processor<String, JobEvent, String, JobResult> {
  private static final Logger log = LoggerFactory.getLogger(JobAggregator.class);

  private final String storeName;
  private final String urlStoreName;
  private final int maxFailuresListed;
  private final ProcessMetrics metrics;
  private ProcessorContext<String, JobResult> context;
  private TimestampedKeyValueStore<String, JobAggregate> store;
  private KeyValueStore<String, String> firstRequests;

  JobAggregator(
      String storeName, String urlStoreName, int maxFailuresListed, ProcessMetrics metrics) {
    this.storeName = storeName;
    this.urlStoreName = urlStoreName;
    this.maxFailuresListed = maxFailuresListed;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, JobResult> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.firstRequests = context.getStateStore(urlStoreName);
  }

  @Override
  public void process(Record<String, JobEvent> record) {
    ValueAndTimestamp<JobAggregate> stored = store.get(record.key());
    JobAggregate job = stored == null ? empty(record.key()) : stored.value();
    long timestamp =
        stored == null ? record.timestamp() : Math.max(stored.timestamp(), record.timestamp());
    boolean wasComplete = isComplete(job);
    Object event = record.value().getEvent();
    // Everything is worked out before anything is written: should it throw, nothing is half done.
    Listing listing = null;
    if (event instanceof JobManifest manifest) {
      if (job.getUrlsExpected() != null && job.getUrlsExpected() != manifest.getUrlCount()) {
        log.warn(
            "Job {}: ignoring a second manifest announcing {} URLs",
            job.getJobId(),
            manifest.getUrlCount());
      } else {
        job.setUrlsExpected(manifest.getUrlCount());
      }
    } else {
      UrlAggregate url = (UrlAggregate) event;
      listing = listing(url);
      addCompletedUrl(job, url, listing.repeat());
    }
    JobResult result = toResult(job);
    if (listing != null && listing.firstKey() != null) {
      firstRequests.put(listing.firstKey(), ((UrlAggregate) event).getRequestId());
    }
    store.put(record.key(), ValueAndTimestamp.make(job, timestamp));
    if (!wasComplete && isComplete(job)) {
      metrics.jobCompleted();
    }
    context.forward(record.withValue(result).withTimestamp(timestamp));
  }

  private void addCompletedUrl(JobAggregate job, UrlAggregate url, boolean repeat) {
    FetchOutcome outcome = url.getOutcome();
    job.setUrlsCompleted(job.getUrlsCompleted() + 1);
    if (repeat) {
      job.setUrlsDuplicate(job.getUrlsDuplicate() + 1);
      metrics.urlCompleted("duplicate");
      return;
    }
    job.setBytes(job.getBytes() + outcome.getBytes());
    job.setChunks(job.getChunks() + url.getChunksCounted());
    UrlFailure failure = UrlResults.failureOf(url);
    if (UrlResults.cellsCount(failure)) {
      job.setRows(job.getRows() + url.getRows());
      job.setRaggedRows(job.getRaggedRows() + url.getRaggedRows());
      mergeFields(job, url.getFields());
    }
    if (failure != null) {
      job.setUrlsFailed(job.getUrlsFailed() + 1);
      job.setFailures(listed(job.getFailures(), shortened(failure)));
    }
    metrics.urlCompleted(failure == null ? "ok" : "failed");
  }

  /**
   * Whether a completed request repeats a URL its job counted already, and if it is the first, the
   * key to remember it under.
   */
  private record Listing(boolean repeat, String firstKey) {}

  /**
   * Ingest says a request repeats a URL when it knew (and fetched once); otherwise (a restart of
   * ingest, another instance) the first request of the URL to complete here is the one counted, so
   * no URL counts twice, however ingest went.
   */
  private Listing listing(UrlAggregate url) {
    if (UrlResults.isDuplicate(url)) {
      return new Listing(true, null);
    }
    String key = Keys.url(url.getJobId(), Keys.canonicalUrl(url.getUrl()));
    String first = firstRequests.get(key);
    return first == null
        ? new Listing(false, key)
        : new Listing(!first.equals(url.getRequestId()), null);
  }

  /**
   * Merges a URL's fields into the job's, keeping the first in name order that fit a record (see
   * {@link StatsCodec#fitting}); those from the first left out on are left out of every later merge
   * too, so what is kept does not depend on the order in which URLs complete.
   */
  private static void mergeFields(JobAggregate job, List<FieldStats> fields) {
    String omittedFrom = job.getFieldsOmittedFrom();
    List<FieldStats> incoming =
        omittedFrom == null
            ? fields
            : fields.stream().filter(field -> field.getName().compareTo(omittedFrom) < 0).toList();
    List<FieldStats> merged = StatsCodec.merge(job.getFields(), incoming);
    List<FieldStats> kept = StatsCodec.fitting(merged);
    if (kept.size() < merged.size()) {
      job.setFieldsOmittedFrom(merged.get(kept.size()).getName());
    }
    job.setFields(new ArrayList<>(kept));
  }

  /** A failure as the job lists it: a long URL or reason cut short (url-results has them whole). */
  private static UrlFailure shortened(UrlFailure failure) {
    return new UrlFailure(
        Keys.abbreviate(failure.getUrl(), 2_000),
        failure.getErrorClass(),
        Keys.abbreviate(failure.getError(), 1_000));
  }

  /**
   * Keeps the failures in URL order, at most the configured number, so the list is the same
   * whatever the arrival order.
   */
  private List<UrlFailure> listed(List<UrlFailure> failures, UrlFailure failure) {
    List<UrlFailure> list = new ArrayList<>(failures);
    list.add(failure);
    list.sort(
        Comparator.comparing(UrlFailure::getUrl)
            .thenComparing(UrlFailure::getErrorClass)
            .thenComparing(UrlFailure::getError));
    return list.size() > maxFailuresListed ? list.subList(0, maxFailuresListed) : list;
  }

  private static JobAggregate empty(String jobId) {
    return JobAggregate.newBuilder()
        .setJobId(jobId)
        .setUrlsExpected(null)
        .setUrlsCompleted(0)
        .setUrlsFailed(0)
        .setUrlsDuplicate(0)
        .setBytes(0)
        .setChunks(0)
        .setRows(0)
        .setRaggedRows(0)
        .setFields(List.of())
        .setFailures(List.of())
        .build();
  }

  private static boolean isComplete(JobAggregate job) {
    return job.getUrlsExpected() != null && job.getUrlsCompleted() >= job.getUrlsExpected();
  }

  private static JobResult toResult(JobAggregate job) {
    Integer expected = job.getUrlsExpected();
    return JobResult.newBuilder()
        .setJobId(job.getJobId())
        .setComplete(isComplete(job))
        .setUrlsExpected(expected)
        .setUrlsCompleted(job.getUrlsCompleted())
        .setUrlsSucceeded(job.getUrlsCompleted() - job.getUrlsFailed() - job.getUrlsDuplicate())
        .setUrlsFailed(job.getUrlsFailed())
        .setUrlsDuplicate(job.getUrlsDuplicate())
        .setBytes(job.getBytes())
        .setChunks(job.getChunks())
        .setRows(job.getRows())
        .setRaggedRows(job.getRaggedRows())
        .setFields(StatsCodec.results(job.getFields()))
        .setFailures(job.getFailures())
        .setFieldsOmittedFrom(job.getFieldsOmittedFrom())
        .build();
  }
}
