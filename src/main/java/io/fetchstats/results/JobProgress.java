package io.fetchstats.results;

import io.fetchstats.avro.JobResult;
import io.fetchstats.metrics.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Job progress as meters, read from the results store at each scrape: how many jobs are running and
 * complete, and for each running job (up to {@link #JOBS_SHOWN}) its URLs expected, completed and
 * failed. An open-ended job (URLs written to the urls topic without a manifest) never completes, so
 * it counts as running.
 */
public final class JobProgress {
  static final int JOBS_SHOWN = 100;

  /** Reading every job's result is not free: scrapes closer than this share one reading. */
  private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

  private long lastRefresh = System.nanoTime() - REFRESH_NANOS;

  private final ResultsStore store;
  private final MultiGauge urls;
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong complete = new AtomicLong();

  private JobProgress(Metrics metrics, ResultsStore store) {
    this.store = store;
    this.urls =
        MultiGauge.builder("fetchstats.job.urls")
            .description(
                "URLs of a running job by state: expected, completed, failed (the first "
                    + JOBS_SHOWN
                    + " running jobs)")
            .register(metrics.registry());
    Gauge.builder("fetchstats.jobs", running, AtomicLong::get)
        .tag("state", "running")
        .description("Jobs known to the results store, by state")
        .register(metrics.registry());
    Gauge.builder("fetchstats.jobs", complete, AtomicLong::get)
        .tag("state", "complete")
        .description("Jobs known to the results store, by state")
        .register(metrics.registry());
  }

  /** Shows the progress of the jobs in {@code store} in {@code metrics}. */
  public static void register(Metrics metrics, ResultsStore store) {
    JobProgress progress = new JobProgress(metrics, store);
    metrics.beforeScrape(progress::refresh);
  }

  private synchronized void refresh() {
    if (!store.isReady() || System.nanoTime() - lastRefresh < REFRESH_NANOS) {
      return;
    }
    lastRefresh = System.nanoTime();
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    long done = 0;
    long notDone = 0;
    for (JobResult job : store.jobs()) {
      if (job.getComplete()) {
        done++;
        continue;
      }
      notDone++;
      if (notDone <= JOBS_SHOWN) {
        Integer expected = job.getUrlsExpected();
        if (expected != null) {
          rows.add(row(job, "expected", expected));
        }
        rows.add(row(job, "completed", job.getUrlsCompleted()));
        rows.add(row(job, "failed", job.getUrlsFailed()));
      }
    }
    running.set(notDone);
    complete.set(done);
    urls.register(rows, true);
  }

  private static MultiGauge.Row<?> row(JobResult job, String state, long value) {
    return MultiGauge.Row.of(Tags.of("job", job.getJobId(), "state", state), value);
  }
}
