package io.fetchstats.ingest;

import io.fetchstats.parse.Format;

/**
 * Fetches one URL and streams its body, split into chunks, to a sink. Every failure of the fetch is
 * in the result; only a failure of the sink itself is thrown.
 */
interface Fetcher extends AutoCloseable {
  /** Fetches {@code url}; {@code format}, when not null, is how to cut the body, whatever it is. */
  FetchResult fetch(String url, Format format, Chunker.Sink sink);

  /**
   * Ends the fetches in progress at once, and those begun from now on, however far they got; their
   * results say nothing about their URLs. For a stop that aborts their transaction.
   */
  void cancelAll();

  @Override
  void close();
}
