package io.fetchstats.bench;

import io.fetchstats.ingest.FetchClient;
import io.fetchstats.ingest.FetchResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Time and bytes of one pass of the fetcher alone over its URLs. */
record FetchPass(long nanos, long bytes) {
  /** Fetches every URL at once (the client's pool bounds them); fails if any fetch fails. */
  static FetchPass over(FetchClient client, List<String> urls) {
    long start = System.nanoTime();
    List<CompletableFuture<FetchResult>> fetches = urls.stream().map(client::fetch).toList();
    CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).join();
    long nanos = System.nanoTime() - start;
    long bytes = 0;
    for (int i = 0; i < urls.size(); i++) {
      FetchResult result = fetches.get(i).join();
      if (!result.ok()) {
        throw new IllegalStateException(
            "a fetch failed during the benchmark: "
                + urls.get(i)
                + ": "
                + result.failure()
                + " "
                + result.error());
      }
      bytes += result.bytes();
    }
    return new FetchPass(nanos, bytes);
  }
}
