package io.fetchstats.process;

import io.fetchstats.avro.JobCancellation;
import io.fetchstats.avro.JobEvent;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.JobResult;
import io.fetchstats.domain.JobAggregate;
import io.fetchstats.domain.JobTerms;
import io.fetchstats.domain.Keys;
import io.fetchstats.domain.UrlAggregate;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges completed URL requests into their job (see {@link JobAggregate#merge}), and publishes the
 * job's result at once when the job is complete, and while it runs at most once an interval of
 * wall-clock time: at once if the interval since its last result has passed (so a job's first
 * result, and its first URL, show without waiting), else its stored state when it has. A job is
 * complete once its manifest has arrived and as many URL requests as it announced completed.
 *
 * <p>A result rounds every field's moments exactly and bins its histogram exactly: published after
 * every URL, results took most of the processor's time in a job of many small URLs (JFR, see
 * BENCHMARKS.md, "Big jobs"). job-results is compacted, so readers only ever relied on a job's
 * latest result. Which jobs wait, and when they were last published, is in memory only: after a
 * crash or a rebalance the job's next URL, or its completion, publishes its state.
 *
 * <p>A job's result carries the latest timestamp of its events so far: they arrive from every
 * partition of the URL events, not in the order they were written, and a result published with an
 * older timestamp than the one before it reads as an out-of-order update to a table of results.
 */
final class JobAggregator implements Processor<String, JobEvent, String, JobResult> {
  private static final Logger log = LoggerFactory.getLogger(JobAggregator.class);

  /** Jobs running at once on one task, in most deployments; each may hold megabytes decoded. */
  private static final int JOBS_KEPT_DECODED = 8;

  private final String storeName;
  private final String urlStoreName;
  private final int maxFailuresListed;
  private final Duration interval;
  private final ProcessMetrics metrics;
  // Running jobs updated since their last result, in the order they were first updated.
  private final Set<String> waiting = new LinkedHashSet<>();
  // When running jobs last had a result published (wall-clock ms), while that is an interval ago.
  private final Map<String, Long> lastPublished = new HashMap<>();
  // The last jobs written, as written: decoding a job's stored state for each of its URLs took a
  // quarter of this processor's time in a job of many small URLs (JFR). Only this processor writes
  // the store, and Kafka Streams initialises it again whenever it wipes or restores the store.
  private final Map<String, ValueAndTimestamp<JobAggregate>> lastWritten =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<String, ValueAndTimestamp<JobAggregate>> eldest) {
          return size() > JOBS_KEPT_DECODED;
        }
      };
  private ProcessorContext<String, JobResult> context;
  private TimestampedKeyValueStore<String, JobAggregate> store;
  private KeyValueStore<String, String> firstRequests;

  /**
   * @param interval a running job's result is published at most once this interval
   */
  JobAggregator(
      String storeName,
      String urlStoreName,
      int maxFailuresListed,
      Duration interval,
      ProcessMetrics metrics) {
    this.storeName = storeName;
    this.urlStoreName = urlStoreName;
    this.maxFailuresListed = maxFailuresListed;
    this.interval = interval;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, JobResult> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.firstRequests = context.getStateStore(urlStoreName);
    lastWritten.clear();
    // Checked five times an interval: a waiting job is published at most a fifth of one late.
    context.schedule(
        interval.dividedBy(5), PunctuationType.WALL_CLOCK_TIME, this::publishWaitingDue);
  }

  @Override
  public void process(Record<String, JobEvent> record) {
    ValueAndTimestamp<JobAggregate> stored = stored(record.key());
    JobAggregate job = stored == null ? JobAggregate.empty(record.key()) : stored.value();
    long timestamp =
        stored == null ? record.timestamp() : Math.max(stored.timestamp(), record.timestamp());
    boolean wasComplete = job.isComplete();
    Object event = record.value().getEvent();
    // Everything is worked out before anything is written: should it throw, nothing is half done.
    Listing listing = null;
    UrlAggregate url = null;
    if (event instanceof JobManifest manifest) {
      if (job.urlsExpected() != null && job.urlsExpected() != manifest.getUrlCount()) {
        log.warn(
            "Job {}: ignoring a second manifest announcing {} URLs",
            job.jobId(),
            manifest.getUrlCount());
      } else {
        JobTerms terms =
            new JobTerms(
                manifest.getSubmittedAt().toEpochMilli(),
                manifest.getFormat(),
                manifest.getRetryOf(),
                null);
        job =
            job.merge(
                JobAggregate.ofManifest(job.jobId(), manifest.getUrlCount(), terms),
                maxFailuresListed);
      }
    } else if (event instanceof JobCancellation cancellation) {
      if (wasComplete && job.urlsCancelled() == 0) {
        // It raced the job's last URL, and lost before ingest saw it: nothing was cancelled. (Its
        // URLs' CANCELLED outcomes come by another way than the cancellation, and may come first.)
        log.info("Job {}: ignoring a cancellation that came after it completed", job.jobId());
        return;
      }
      job =
          job.merge(
              JobAggregate.ofCancellation(
                  job.jobId(), cancellation.getCancelledAt().toEpochMilli()),
              maxFailuresListed);
    } else {
      url = AggregateCodec.fromAvro((io.fetchstats.avro.UrlAggregate) event);
      listing = listing(url);
      job = job.merge(JobAggregate.ofUrl(url, listing.repeat()), maxFailuresListed);
      metrics.urlCompleted(
          listing.repeat() ? "duplicate" : url.failure() == null ? "ok" : "failed");
    }
    JobResult result = job.isComplete() ? toResult(job, timestamp) : null;
    if (listing != null && listing.firstKey() != null) {
      firstRequests.put(listing.firstKey(), url.requestId());
    }
    ValueAndTimestamp<JobAggregate> written = ValueAndTimestamp.make(job, timestamp);
    store.put(record.key(), written);
    lastWritten.put(record.key(), written);
    if (!wasComplete && job.isComplete()) {
      metrics.jobCompleted();
    }
    long now = context.currentSystemTimeMs();
    if (result != null) {
      waiting.remove(record.key());
      lastPublished.remove(record.key());
      context.forward(record.withValue(result).withTimestamp(timestamp));
    } else if (due(record.key(), now)) {
      waiting.remove(record.key());
      lastPublished.put(record.key(), now);
      context.forward(record.withValue(toResult(job, timestamp)).withTimestamp(timestamp));
    } else {
      waiting.add(record.key());
    }
  }

  /** Whether a running job's last result is an interval old, or it has none. */
  private boolean due(String jobId, long now) {
    Long last = lastPublished.get(jobId);
    return last == null || now - last >= interval.toMillis();
  }

  /**
   * The stored state of each running job updated since its last result, once that is an interval
   * old; forgets the jobs whose last result is: their next update is published at once.
   */
  private void publishWaitingDue(long now) {
    for (var jobs = waiting.iterator(); jobs.hasNext(); ) {
      String jobId = jobs.next();
      if (due(jobId, now)) {
        ValueAndTimestamp<JobAggregate> stored = stored(jobId);
        context.forward(
            new Record<>(jobId, toResult(stored.value(), stored.timestamp()), stored.timestamp()));
        lastPublished.put(jobId, now);
        jobs.remove();
      }
    }
    lastPublished.keySet().removeIf(jobId -> !waiting.contains(jobId) && due(jobId, now));
  }

  private ValueAndTimestamp<JobAggregate> stored(String jobId) {
    ValueAndTimestamp<JobAggregate> written = lastWritten.get(jobId);
    return written != null ? written : store.get(jobId);
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
    if (url.isDuplicate()) {
      return new Listing(true, null);
    }
    String key = Keys.url(url.jobId(), Keys.canonicalUrl(url.url()));
    String first = firstRequests.get(key);
    return first == null
        ? new Listing(false, key)
        : new Listing(!first.equals(url.requestId()), null);
  }

  /**
   * The job's result, as of {@code updatedAt} (epoch milliseconds: the latest event merged; null
   * when there is no such time).
   */
  static JobResult toResult(JobAggregate job, Long updatedAt) {
    JobTerms terms = job.terms();
    return JobResult.newBuilder()
        .setJobId(job.jobId())
        .setComplete(job.isComplete())
        .setUrlsExpected(job.urlsExpected())
        .setUrlsCompleted(job.urlsCompleted())
        .setUrlsSucceeded(job.urlsSucceeded())
        .setUrlsFailed(job.urlsFailed())
        .setUrlsCancelled(job.urlsCancelled())
        .setUrlsDuplicate(job.urlsDuplicate())
        .setBytes(job.bytes())
        .setChunks(job.chunks())
        .setRows(job.rows())
        .setRaggedRows(job.raggedRows())
        .setFields(StatsCodec.results(job.fields()))
        .setFailures(AggregateCodec.toAvro(job.failures()))
        .setFieldsOmittedFrom(job.fieldsOmittedFrom())
        .setSubmittedAt(terms.submittedAt())
        .setUpdatedAt(updatedAt)
        .setFormat(terms.format())
        .setRetryOf(terms.retryOf())
        .setCancelledAt(terms.cancelledAt())
        .build();
  }
}
