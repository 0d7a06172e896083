package io.fetchstats.cli;

import io.fetchstats.app.Pipeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the HTTP API until stopped; any number of instances answer alike.",
      "  POST /jobs            URLs as text (one a line) or JSON -> 201 {\"jobId\": ...}",
      "                        JSON: [\"url\", ...] or {\"urls\": [...], \"jobId\", \"format\"}",
      "  GET  /jobs/{id}       the job's latest result (as 'results --json')",
      "  GET  /jobs/{id}/urls  its URLs' results; ?limit= and ?after=<url> to page",
      "  POST /analyze         a JSON array of numbers -> their statistics",
      "  GET  /health          200 when every part is up, 503 otherwise",
      "  GET  /metrics         Prometheus text",
      "Errors are 4xx with {\"error\": \"...\"}; bodies above --max-request-size get 413.",
      "It listens on --http-bind (loopback by default) and --http-port."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin TopicOptions topic;
  @Mixin ServiceOptions service;
  @Mixin InstanceOptions instance;
  @Mixin HttpOptions http;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return StageCommand.run(
        spec,
        kafka,
        http,
        ConfigPart.config(kafka, topic, service, instance, http),
        Pipeline.Stage.API);
  }
}
