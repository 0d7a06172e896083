package io.fetchstats.cli;

import io.fetchstats.app.Pipeline;
import io.fetchstats.config.FetchStatsConfig;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs one stage against an existing Kafka until stopped. The API stage always has its HTTP server;
 * ingest and process have one (health, metrics) when an HTTP port is set.
 */
final class StageCommand {
  private StageCommand() {}

  static int run(
      CommandSpec spec,
      KafkaOptions kafka,
      HttpOptions http,
      FetchStatsConfig config,
      Pipeline.Stage stage)
      throws InterruptedException {
    kafka.requireExternal(spec);
    try (ShutdownSignal signal =
            ShutdownSignal.install(config.stopTimeout(), spec.commandLine().getErr());
        Pipeline pipeline = Pipeline.start(config, Set.of(stage), http.portSet())) {
      pipeline
          .httpAddress()
          .ifPresent(
              address ->
                  spec.commandLine()
                      .getErr()
                      .printf(
                          "fetchstats %s: %s at http://%s%n",
                          spec.name(),
                          stage == Pipeline.Stage.API ? "API" : "health and metrics",
                          address));
      return signal.await(pipeline, spec.commandLine().getErr());
    }
  }
}
