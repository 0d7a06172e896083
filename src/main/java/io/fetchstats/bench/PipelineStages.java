package io.fetchstats.bench;

import io.fetchstats.app.Pipeline;
import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.results.ResultsReader;
import io.fetchstats.samples.GeneratedBody;
import io.fetchstats.samples.SampleServer;
import io.fetchstats.submit.JobSubmitter;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

/**
 * The ingest and process stages of one pipeline (topics, group, state of its own), running until
 * closed, fed jobs of generated bodies on the sample server and timed from each submission until
 * its complete result is read.
 */
final class PipelineStages implements AutoCloseable {
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);

  /** The server generates a block per seed and format and keeps the last 32: it only serves. */
  private static final int SEEDS = 8;

  /**
   * A job's complete result, the nanoseconds from its submission until it was read and until the
   * first result that counted a completed URL, and the longest a reader of its results waited for a
   * newer one once it had read the first.
   */
  record Job(JobResult result, long nanos, long firstUrlNanos, long longestGapNanos) {}

  private final FetchStatsConfig config;
  private final SampleServer server;
  private final int urls;
  private final IntSupplier jobNumbers;
  private final Pipeline pipeline;

  /**
   * @param urls URLs a job's bytes are split into, for {@link #run(GeneratedBody.Kind, long)}
   * @param jobNumbers numbers the jobs' ids, unique across the pipelines of a benchmark
   */
  PipelineStages(FetchStatsConfig config, SampleServer server, int urls, IntSupplier jobNumbers) {
    this.config = config;
    this.server = server;
    this.urls = urls;
    this.jobNumbers = jobNumbers;
    this.pipeline = Pipeline.start(config);
  }

  FetchStatsConfig config() {
    return config;
  }

  /** Runs a job of {@code bytes} of {@code kind}: MB/s of its bodies, submission to result. */
  double megabytesPerSecond(GeneratedBody.Kind kind, long bytes) {
    return megabytesPerSecond(run(kind, bytes));
  }

  static double megabytesPerSecond(Job job) {
    return job.result().getBytes() * 1e3 / job.nanos();
  }

  /**
   * Submits a job of {@code bytes} of {@code kind} and waits for its complete result; times it from
   * the submission.
   */
  Job run(GeneratedBody.Kind kind, long bytes) {
    long perUrl = bytes / urls;
    String base = server.baseUrl() + "/gen/" + kind.pathName() + "?bytes=" + perUrl;
    return run(
        jobId ->
            IntStream.range(0, urls)
                .mapToObj(i -> base + "&seed=" + i % SEEDS + "&id=" + jobId + "-" + i)
                .toList());
  }

  /**
   * Submits a job of the URLs {@code listOf} its id gives, and waits for its complete result; times
   * it from the submission.
   */
  Job run(Function<String, List<String>> listOf) {
    String jobId = "bench-" + jobNumbers.getAsInt();
    List<String> list = listOf.apply(jobId);
    try (ResultsReader reader = new ResultsReader(config, jobId)) {
      long start = System.nanoTime();
      Progress progress = new Progress();
      JobSubmitter.submitOnce(config, jobId, list);
      JobResult result = awaitComplete(reader, jobId, list.size(), progress);
      return new Job(
          result, System.nanoTime() - start, progress.firstUrl - start, progress.longestGap);
    }
  }

  /**
   * When a job's first URL was counted (a complete result counts them all), and the longest time
   * between its results.
   */
  private static final class Progress implements Consumer<JobResult> {
    private long firstUrl;
    private boolean seen;
    private long last;
    private long longestGap;

    @Override
    public void accept(JobResult update) {
      long now = System.nanoTime();
      if (update.getUrlsCompleted() > 0 && firstUrl == 0) {
        firstUrl = now;
      }
      if (seen) {
        longestGap = Math.max(longestGap, now - last);
      }
      seen = true;
      last = now;
    }
  }

  /**
   * The job's complete result, as {@code reader} reads it; fails if it does not come within ten
   * minutes, or if any of its {@code urls} URLs failed.
   */
  static JobResult awaitComplete(ResultsReader reader, String jobId, int urls) {
    return awaitComplete(reader, jobId, urls, update -> {});
  }

  /**
   * As {@link #awaitComplete(ResultsReader, String, int)}, each result read told to {@code
   * onUpdate}.
   */
  private static JobResult awaitComplete(
      ResultsReader reader, String jobId, int urls, Consumer<JobResult> onUpdate) {
    JobResult result =
        reader
            .awaitComplete(JOB_TIMEOUT, onUpdate)
            .filter(JobResult::getComplete)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "job " + jobId + " did not complete within " + JOB_TIMEOUT));
    if (result.getUrlsSucceeded() != urls) {
      throw new IllegalStateException(
          "a fetch failed during the benchmark: " + jobId + ": " + result.getFailures());
    }
    return result;
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
