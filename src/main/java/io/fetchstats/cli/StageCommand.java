package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Runs one stage against an existing Kafka until stopped. */
final class StageCommand {
  private StageCommand() {}

  static int run(CommandSpec spec, ConfigOptions options, Pipeline.Stage stage)
      throws InterruptedException {
    FetchStatsConfig config = options.toConfig();
    if (config.embedded()) {
      throw new ParameterException(
          spec.commandLine(),
          "the "
              + stage.name().toLowerCase(java.util.Locale.ROOT)
              + " stage alone needs --bootstrap-servers (or FETCHSTATS_BOOTSTRAP_SERVERS); "
              + "use 'run' for everything in one JVM on an embedded broker");
    }
    try (ShutdownSignal signal = new ShutdownSignal();
        Pipeline pipeline = Pipeline.start(config, Set.of(stage))) {
      return signal.await(pipeline, spec.commandLine().getErr());
    }
  }
}
