package io.fetchstats.ingest;

import io.fetchstats.domain.Keys;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;

/**
 * The first request of each URL of recent jobs, so that a URL listed again in its job is fetched
 * once. Those of the transaction in hand are kept apart until it commits, and forgotten if it
 * aborts: a duplicate's outcome then always names a request whose outcome is committed (or is in
 * its own transaction). Not thread-safe: the ingest loop's thread alone uses it.
 */
final class FirstFetches {
  /** The first request of a URL in its job, and its result to come. */
  record First(String requestId, CompletableFuture<FetchResult> result) {}

  /** Of committed transactions, least recently used first. */
  private final Map<String, First> committed;

  private final Map<String, First> inTransaction = new HashMap<>();

  /** Remembers the first requests of at most {@code remembered} URLs of committed transactions. */
  FirstFetches(int remembered) {
    this.committed =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, First> eldest) {
            return size() > remembered;
          }
        };
  }

  /**
   * The first request of {@code request}'s URL (parsed as {@code url}, null if it does not parse)
   * in its job, if that is another request whose fetch did not fail (an abort cut it short, and it
   * is fetched again); else null.
   */
  First earlier(UrlRequests.Request request, HttpUrl url) {
    String key = key(request, url);
    First first = inTransaction.containsKey(key) ? inTransaction.get(key) : committed.get(key);
    return first == null
            || first.requestId().equals(request.requestId())
            || first.result().isCompletedExceptionally()
        ? null
        : first;
  }

  /** Remembers {@code request} as its URL's first, in the transaction in hand. */
  void add(UrlRequests.Request request, HttpUrl url, CompletableFuture<FetchResult> result) {
    inTransaction.put(key(request, url), new First(request.requestId(), result));
  }

  /** The transaction in hand committed: its first requests are remembered for later ones. */
  void commit() {
    committed.putAll(inTransaction);
    inTransaction.clear();
  }

  /** The transaction in hand aborted: its first requests were never published. */
  void abort() {
    inTransaction.clear();
  }

  private static String key(UrlRequests.Request request, HttpUrl url) {
    return request.jobId() + '\n' + Keys.canonicalUrl(url, request.url());
  }
}
