package io.fetchstats.ingest;

/** Fetches one URL and streams its body, split into chunks, to a sink. Never throws. */
interface Fetcher extends AutoCloseable {
  FetchResult fetch(String url, Chunker.Sink sink);

  @Override
  void close();
}
