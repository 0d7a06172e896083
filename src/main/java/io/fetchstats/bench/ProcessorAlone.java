package io.fetchstats.bench;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.metrics.Metrics;
import io.fetchstats.process.ProcessorApp;
import io.fetchstats.results.ResultsReader;

/**
 * The processor alone on a job whose chunks were loaded before: each run starts a new processor (an
 * application id and state of its own) and times it until the job's complete result is read. A
 * processor is closed at the next run (or by {@link #close}), so that its threads' CPU times are
 * still there to read when its run ends.
 */
final class ProcessorAlone implements AutoCloseable {
  private final int urls;

  /** The processors' meters, kept as in production; nothing reads them here. */
  private final Metrics metrics = Metrics.inMemory();

  private int processors;
  private ProcessorApp processor;

  /**
   * @param urls URLs of the loaded job, each of which must succeed
   */
  ProcessorAlone(int urls) {
    this.urls = urls;
  }

  /** A new processor at {@code threads} on the loaded job: MB/s of its bodies. */
  double megabytesPerSecond(FetchStatsConfig loaded, int threads, String jobId) {
    closeProcessor();
    int n = ++processors;
    FetchStatsConfig config =
        loaded.toBuilder()
            .processing(processing -> processing.withStreamThreads(threads))
            .instanceId("bench-processor-" + n)
            .build();
    try (ResultsReader reader = new ResultsReader(config, jobId)) {
      reader.latest(); // what earlier processors published: only a new result counts
      long start = System.nanoTime();
      processor =
          ProcessorApp.start(config, config.kafka().topicPrefix() + "process-" + n, metrics);
      JobResult result = PipelineStages.awaitComplete(reader, jobId, urls);
      return result.getBytes() * 1e3 / (System.nanoTime() - start);
    }
  }

  private void closeProcessor() {
    if (processor != null) {
      processor.close();
      processor = null;
    }
  }

  @Override
  public void close() {
    closeProcessor();
    metrics.close();
  }
}
