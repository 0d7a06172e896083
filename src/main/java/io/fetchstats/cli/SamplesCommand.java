package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.samples.SampleData;
import io.fetchstats.samples.SampleServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "samples",
    mixinStandardHelpOptions = true,
    description = "Serve the demo's generated sample data over HTTP until stopped.")
final class SamplesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "Port (default: ${DEFAULT-VALUE}, beside the API's 8080).")
  int port;

  @Mixin SampleOptions sampleOptions;

  @Override
  public Integer call() throws InterruptedException {
    try (ShutdownSignal signal =
            ShutdownSignal.install(
                FetchStatsConfig.DEFAULT_STOP_TIMEOUT, spec.commandLine().getErr());
        SampleServer server =
            SampleServer.start(
                SampleData.resources(sampleOptions.seed), new InetSocketAddress(bind, port))) {
      spec.commandLine()
          .getOut()
          .printf("Serving sample data at %s, for example:%n", server.baseUrl());
      SampleData.urls(server.baseUrl()).forEach(spec.commandLine().getOut()::println);
      spec.commandLine().getOut().flush();
      return signal.await();
    }
  }
}
