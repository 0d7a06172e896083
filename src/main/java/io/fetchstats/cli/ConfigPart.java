package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;

/**
 * Options of one concern (Kafka, fetching, HTTP...), mixed into the commands that use them, so that
 * each command shows and accepts only what it uses; each sets its part of the configuration.
 */
interface ConfigPart {
  void applyTo(FetchStatsConfig.Builder config);

  /** The configuration of a command: its parts over the defaults. */
  static FetchStatsConfig config(ConfigPart... parts) {
    FetchStatsConfig.Builder builder = FetchStatsConfig.builder().instanceId("");
    for (ConfigPart part : parts) {
      part.applyTo(builder);
    }
    return builder.build();
  }
}
