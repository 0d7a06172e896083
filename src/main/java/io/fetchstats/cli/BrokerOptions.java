package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.KafkaSettings;
import picocli.CommandLine.Option;

/** The embedded broker's address: the commands that may start one. */
final class BrokerOptions implements ConfigPart {
  @Option(
      names = "--broker-port",
      defaultValue = "0",
      description =
          "Port of the embedded broker of 'run' and 'broker' (env FETCHSTATS_BROKER_PORT; default:"
              + " the one remembered in --data-dir, which is "
              + KafkaSettings.DEFAULT_BROKER_PORT
              + " when it was free at the first start).")
  int brokerPort;

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    config.kafka(kafka -> kafka.brokerPort(brokerPort));
  }
}
