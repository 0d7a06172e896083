package io.fetchstats.cli;

import io.fetchstats.app.Pipeline;
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
  @Mixin KafkaOptions kafka;
  @Mixin TopicOptions topic;
  @Mixin ServiceOptions service;
  @Mixin InstanceOptions instance;
  @Mixin ProcessingOptions processing;
  @Mixin HttpOptions http;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return StageCommand.run(
        spec,
        kafka,
        http,
        ConfigPart.config(kafka, topic, service, instance, processing, http),
        Pipeline.Stage.PROCESS);
  }
}
