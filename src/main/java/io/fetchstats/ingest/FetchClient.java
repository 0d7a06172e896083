package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.parse.Format;
import java.util.concurrent.CompletableFuture;

/**
 * The ingest stage's fetching without Kafka: the same client, limits, retries, hashing and
 * chunking, the chunks dropped or handed to the caller. For trying URLs out, analyzing them, and
 * for benchmarks.
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

  /**
   * Fetches {@code url}, handing its chunks to {@code chunks} as ingest would publish them, parsed
   * as {@code format} (null: as its response says).
   */
  public CompletableFuture<FetchResult> fetch(
      String url, Format format, LocalBody.ChunkConsumer chunks) {
    return scheduler.fetch(url, format, chunks::chunk);
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
