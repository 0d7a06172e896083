package io.fetchstats.cli;

import io.fetchstats.app.Pipeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Run the ingest stage (fetch URLs, publish chunks and outcomes) until stopped.")
final class IngestCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin TopicOptions topic;
  @Mixin ServiceOptions service;
  @Mixin InstanceOptions instance;
  @Mixin FetchOptions fetch;
  @Mixin HttpOptions http;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return StageCommand.run(
        spec,
        kafka,
        http,
        ConfigPart.config(kafka, topic, service, instance, fetch, http),
        Pipeline.Stage.INGEST);
  }
}
