package io.fetchstats.ingest;

/**
 * Fetches one URL and streams its body, split into chunks, to a sink. Every failure of the fetch is
 * in the result; only a failure of the sink itself is thrown.
 */
interface Fetcher extends AutoCloseable {
  FetchResult fetch(String url, Chunker.Sink sink);

  @Override
  void close();
}
