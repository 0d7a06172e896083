package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What a long-running process keeps on this host and how long it may take to stop. */
final class ServiceOptions implements ConfigPart {
  @Option(
      names = "--data-dir",
      defaultValue = "fetchstats-data",
      description =
          "Embedded broker log, processor state and instance ids (env FETCHSTATS_DATA_DIR; default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--stop-timeout",
      defaultValue = "5s",
      description =
          "How long stopping may take; fetches in flight are cancelled and fetched again after a"
              + " restart (default: ${DEFAULT-VALUE}).")
  Duration stopTimeout;

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    config.dataDir(dataDir).stopTimeout(stopTimeout);
  }
}
