package io.fetchstats.cli;

import io.fetchstats.app.Pipeline;
import io.fetchstats.config.FetchStatsConfig;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run ingest, process and the HTTP API (see 'serve') in this JVM until stopped (Ctrl-C).",
      "Without --bootstrap-servers it starts an embedded Kafka broker with its data in --data-dir."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin AllOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    FetchStatsConfig config = ConfigPart.config(options);
    try (ShutdownSignal signal =
            ShutdownSignal.install(config.stopTimeout(), spec.commandLine().getErr());
        Pipeline pipeline = Pipeline.start(config, EnumSet.allOf(Pipeline.Stage.class), true)) {
      String api = pipeline.httpAddress().orElseThrow();
      spec.commandLine()
          .getOut()
          .printf(
              "fetchstats is running with Kafka at %s and its API at http://%s%n"
                  + "Open %s to see the jobs and submit URLs, or from another terminal:%n"
                  + "  fetchstats submit --bootstrap-servers %s urls.txt%n"
                  + "  curl --data-binary @urls.txt http://%s/jobs%n",
              pipeline.bootstrapServers(),
              api,
              pipeline.pageUrl().orElseThrow(),
              pipeline.bootstrapServers(),
              api);
      spec.commandLine().getOut().flush();
      return signal.await(pipeline, spec.commandLine().getErr());
    }
  }
}
