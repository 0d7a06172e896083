package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import java.util.concurrent.CompletableFuture;

/**
 * The ingest stage's fetching without Kafka: the same client, limits, retries, hashing and
 * chunking, with the chunks dropped. For trying URLs out and for benchmarks.
 */
public final class FetchClient implements AutoCloseable {
  private static final Chunker.Sink DROP = (seq, format, header, data) -> {};

  private final FetchScheduler scheduler;

  public FetchClient(FetchStatsConfig config) {
    this.scheduler =
        new FetchScheduler(
            new HttpFetcher(config),
            RetryPolicy.of(config),
            config.fetch().threads(),
            config.fetch().maxPerHost());
  }

  public CompletableFuture<FetchResult> fetch(String url) {
    return scheduler.fetch(url, DROP);
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
