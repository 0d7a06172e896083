package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import picocli.CommandLine.Option;

/** The processor stage's threads: the commands that run it. */
final class ProcessingOptions implements ConfigPart {
  @Option(
      names = "--stream-threads",
      description =
          "Processor threads (env FETCHSTATS_STREAM_THREADS; default: cores of this host).")
  Integer streamThreads;

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    if (streamThreads != null) {
      config.processing(processing -> processing.withStreamThreads(streamThreads));
    }
  }
}
