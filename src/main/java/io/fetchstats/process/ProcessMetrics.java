package io.fetchstats.process;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The process stage's meters: chunks and bytes parsed and the time it took (bytes over time is the
 * parse throughput), URLs and jobs completed. Under exactly-once a task that aborts processes its
 * records again: these count work done, which may exceed what is committed.
 */
public final class ProcessMetrics {
  private final MeterRegistry registry;
  private final Counter bytesParsed;
  private final Timer parseTime;
  private final Counter jobsCompleted;

  public ProcessMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.bytesParsed =
        Counter.builder("fetchstats.parse.bytes")
            .baseUnit("bytes")
            .description("Chunk bytes parsed")
            .register(registry);
    this.parseTime =
        Timer.builder("fetchstats.parse.time")
            .description("Time spent parsing chunks (parse throughput: bytes over this)")
            .register(registry);
    this.jobsCompleted =
        Counter.builder("fetchstats.jobs.completed")
            .description("Jobs whose every URL completed")
            .register(registry);
  }

  void chunkParsed(String format, boolean ok, long bytes, long nanos) {
    Counter.builder("fetchstats.chunks.parsed")
        .description("Chunks parsed, by format and whether they parsed")
        .tag("format", format)
        .tag("result", ok ? "ok" : "failed")
        .register(registry)
        .increment();
    bytesParsed.increment(bytes);
    parseTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A URL of a job completed: {@code outcome} is ok, failed or duplicate. */
  void urlCompleted(String outcome) {
    Counter.builder("fetchstats.urls.completed")
        .description("URLs completed in their job, by outcome: ok, failed or duplicate")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  void jobCompleted() {
    jobsCompleted.increment();
  }
}
