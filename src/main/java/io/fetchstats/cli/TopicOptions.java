package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import picocli.CommandLine.Option;

/** How the topics a command creates are made: the commands that start stages or create topics. */
final class TopicOptions implements ConfigPart {
  @Option(
      names = "--partitions",
      description =
          "Partitions of the topics created (env FETCHSTATS_PARTITIONS; default: cores of this host).")
  Integer partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "1",
      description =
          "Replication factor of created and internal topics (default: ${DEFAULT-VALUE}).")
  short replicationFactor;

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    config.kafka(
        kafka -> {
          kafka.replicationFactor(replicationFactor);
          if (partitions != null) {
            kafka.partitions(partitions);
          }
        });
  }
}
