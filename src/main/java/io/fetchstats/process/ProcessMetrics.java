package io.fetchstats.process;

import io.fetchstats.metrics.Metrics;
import io.fetchstats.parse.Format;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The process stage's meters: chunks and bytes parsed and the time it took (bytes over time is the
 * parse throughput), URLs and jobs completed. Under exactly-once a task that aborts processes its
 * records again: these count work done, which may exceed what is committed.
 */
public final class ProcessMetrics {
  private static final String UNKNOWN = "unknown";

  private final Map<String, Counter> parsedOk = new HashMap<>();
  private final Map<String, Counter> parsedFailed = new HashMap<>();
  private final Counter bytesParsed;
  private final Timer parseTime;
  private final Map<String, Counter> urlsCompleted = new HashMap<>();
  private final Counter jobsCompleted;
  private final Counter deadLetters;

  public ProcessMetrics(MeterRegistry registry) {
    // Every tag value registered up front (immutable maps after this), so recording is a lookup
    // and a format read from a record cannot add series: one this version does not know is
    // counted as "unknown".
    for (String format :
        Stream.concat(Stream.of(Format.values()).map(Format::name), Stream.of(UNKNOWN)).toList()) {
      parsedOk.put(format, chunks(format, "ok").register(registry));
      parsedFailed.put(format, chunks(format, "failed").register(registry));
    }
    this.bytesParsed =
        Counter.builder("fetchstats.parse.bytes")
            .baseUnit("bytes")
            .description("Chunk bytes parsed")
            .register(registry);
    this.parseTime =
        Timer.builder("fetchstats.parse.time")
            .description("Time spent parsing chunks (parse throughput: bytes over this)")
            .register(registry);
    for (String outcome : List.of("ok", "failed", "duplicate")) {
      urlsCompleted.put(
          outcome,
          Counter.builder("fetchstats.urls.completed")
              .description("URLs completed in their job, by outcome: ok, failed or duplicate")
              .tag("outcome", outcome)
              .register(registry));
    }
    this.jobsCompleted =
        Counter.builder("fetchstats.jobs.completed")
            .description("Jobs whose every URL completed")
            .register(registry);
    this.deadLetters = Metrics.deadLetters(registry, "process");
  }

  private static Counter.Builder chunks(String format, String result) {
    return Counter.builder("fetchstats.chunks.parsed")
        .description("Chunks parsed, by format and whether they parsed")
        .tag("format", format.toLowerCase(Locale.ROOT))
        .tag("result", result);
  }

  void chunkParsed(String format, boolean ok, long bytes, long nanos) {
    Map<String, Counter> byFormat = ok ? parsedOk : parsedFailed;
    byFormat.getOrDefault(format, byFormat.get(UNKNOWN)).increment();
    bytesParsed.increment(bytes);
    parseTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A URL of a job completed: {@code outcome} is ok, failed or duplicate. */
  void urlCompleted(String outcome) {
    urlsCompleted.get(outcome).increment();
  }

  void jobCompleted() {
    jobsCompleted.increment();
  }

  void deadLetter() {
    deadLetters.increment();
  }
}
