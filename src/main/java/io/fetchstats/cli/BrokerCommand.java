package io.fetchstats.cli;

import io.fetchstats.app.Pipeline;
import io.fetchstats.config.FetchStatsConfig;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run the embedded Kafka broker alone, with its data in --data-dir and the pipeline's topics,"
          + " until stopped (Ctrl-C): for 'ingest', 'process' and 'serve' in processes of their own.",
      "Its address stays the same across restarts (see --broker-port)."
    })
final class BrokerCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin TopicOptions topic;
  @Mixin BrokerOptions broker;
  @Mixin ServiceOptions service;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    FetchStatsConfig config = ConfigPart.config(kafka, topic, broker, service);
    if (!config.kafka().embedded()) {
      throw new ParameterException(
          spec.commandLine(),
          "broker starts a broker of its own: leave --bootstrap-servers (and"
              + " FETCHSTATS_BOOTSTRAP_SERVERS) unset");
    }
    try (ShutdownSignal signal =
            ShutdownSignal.install(config.stopTimeout(), spec.commandLine().getErr());
        Pipeline pipeline = Pipeline.start(config, Set.of(), false)) {
      spec.commandLine()
          .getOut()
          .printf(
              "Kafka is running at %s (data in %s)%n"
                  + "Start the stages from other terminals:%n"
                  + "  export FETCHSTATS_BOOTSTRAP_SERVERS=%s%n"
                  + "  fetchstats ingest & fetchstats process & fetchstats serve%n",
              pipeline.bootstrapServers(), config.dataDir(), pipeline.bootstrapServers());
      spec.commandLine().getOut().flush();
      return signal.await(pipeline, spec.commandLine().getErr());
    }
  }
}
