package io.fetchstats.ingest;

import io.fetchstats.domain.FailureClass;
import io.fetchstats.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ingest stage's meters: fetches by outcome, their latency and bytes, requests in flight, and
 * the URLs queued per host (the busiest hosts only, so that a job of a million hosts does not make
 * a million time series).
 */
final class FetchMetrics implements AutoCloseable {
  static final int HOSTS_SHOWN = 20;

  private static final Duration[] LATENCY_BUCKETS =
      Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

  private final Metrics metrics;
  private final Counter ok;
  private final Counter deadLetters;
  private final Map<FailureClass, Counter> failed = new EnumMap<>(FailureClass.class);
  private final Timer okLatency;
  private final Timer failedLatency;
  private final DistributionSummary bytes;
  private final MultiGauge queuedPerHost;
  private final Runnable refresh;

  FetchMetrics(Metrics metrics, FetchScheduler scheduler) {
    this.metrics = metrics;
    MeterRegistry registry = metrics.registry();
    // Every outcome registered up front: a series at 0 rather than none, and no lookups later.
    this.ok = fetches("ok").register(registry);
    this.deadLetters = Metrics.deadLetters(registry, "ingest");
    for (FailureClass failure : FailureClass.values()) {
      failed.put(failure, fetches(failure.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    this.okLatency = latency("ok").register(registry);
    this.failedLatency = latency("failed").register(registry);
    this.bytes =
        DistributionSummary.builder("fetchstats.fetch.body")
            .baseUnit("bytes")
            .description("Body bytes read per URL, after decompression")
            .register(registry);
    Gauge.builder("fetchstats.fetch.in.flight", scheduler, FetchScheduler::inFlight)
        .description("Requests in flight (at most --fetch-threads)")
        .register(registry);
    Gauge.builder("fetchstats.fetch.retry.waiting", scheduler, FetchScheduler::waitingToRetry)
        .description("URLs waiting to be tried again")
        .register(registry);
    this.queuedPerHost =
        MultiGauge.builder("fetchstats.fetch.host.queued")
            .description(
                "URLs waiting for a slot of their host (--max-per-host), for the "
                    + HOSTS_SHOWN
                    + " hosts with most")
            .register(registry);
    this.refresh = () -> showQueues(scheduler.queued());
    metrics.beforeScrape(refresh);
  }

  private static Counter.Builder fetches(String outcome) {
    return Counter.builder("fetchstats.fetches")
        .description(
            "URLs fetched to their end (all attempts), by outcome: ok or the failure class")
        .tag("outcome", outcome);
  }

  private static Timer.Builder latency(String outcome) {
    return Timer.builder("fetchstats.fetch.latency")
        .description("From a URL's first attempt to its last one's end, body included")
        .tag("outcome", outcome)
        // A dozen fixed buckets from a fast local answer to a slow big body, rather than
        // Micrometer's seventy, so the histogram stays cheap to scrape and to store.
        .serviceLevelObjectives(LATENCY_BUCKETS);
  }

  void deadLetter() {
    deadLetters.increment();
  }

  void record(FetchResult result) {
    (result.ok() ? ok : failed.get(result.failure())).increment();
    (result.ok() ? okLatency : failedLatency).record(result.latencyMs(), TimeUnit.MILLISECONDS);
    bytes.record(result.bytes());
  }

  private void showQueues(Map<String, Integer> queued) {
    List<MultiGauge.Row<?>> rows =
        queued.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
            .limit(HOSTS_SHOWN)
            .<MultiGauge.Row<?>>map(
                e -> MultiGauge.Row.of(Tags.of("host", e.getKey()), e.getValue()))
            .toList();
    queuedPerHost.register(rows, true);
  }

  @Override
  public void close() {
    metrics.removeBeforeScrape(refresh);
  }
}
