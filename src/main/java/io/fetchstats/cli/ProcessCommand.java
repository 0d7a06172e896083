package io.fetchstats.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "process",
    mixinStandardHelpOptions = true,
    description =
        "Run the process stage (Kafka Streams: parse, statistics, results) until stopped.")
final class ProcessCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return StageCommand.run(spec, options, Pipeline.Stage.PROCESS);
  }
}
