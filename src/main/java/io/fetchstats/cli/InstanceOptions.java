package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import picocli.CommandLine.Option;

/** The name of a stage's process among instances: the commands that run stages. */
final class InstanceOptions implements ConfigPart {
  @Option(
      names = "--instance-id",
      description =
          "Stable name of this process among instances: letters, digits, '.', '_', '-' (env"
              + " FETCHSTATS_INSTANCE_ID; default: one claimed in --data-dir, so that processes"
              + " started with defaults never share one and a restarted one gets its own back).")
  String instanceId;

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    config.instanceId(instanceId == null ? "" : instanceId.strip());
  }
}
