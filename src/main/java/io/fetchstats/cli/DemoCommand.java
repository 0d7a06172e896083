package io.fetchstats.cli;

import io.fetchstats.app.Pipeline;
import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.results.ResultsReader;
import io.fetchstats.results.ResultsTable;
import io.fetchstats.samples.SampleData;
import io.fetchstats.samples.SampleServer;
import io.fetchstats.submit.JobSubmitter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole pipeline on generated sample data served on loopback, and print the job's table.",
      "Needs no internet: the broker is embedded (unless --bootstrap-servers) and the data local.",
      "It serves the web page and the API meanwhile (on a free port unless --http-port), and"
          + " with --keep-serving after the job too, until Ctrl-C."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Mixin TopicOptions topic;
  @Mixin BrokerOptions broker;
  @Mixin ServiceOptions service;
  @Mixin FetchOptions fetch;
  @Mixin ProcessingOptions processing;
  @Mixin HttpOptions http;
  @Spec CommandSpec spec;

  @Option(
      names = "--keep-serving",
      description = "After the job, keep the pipeline and its web page running until Ctrl-C.")
  boolean keepServing;

  @Option(
      names = "--timeout",
      defaultValue = "5m",
      description = "How long to wait for the job (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin SampleOptions sampleOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean keepData = spec.commandLine().getParseResult().hasMatchedOption("--data-dir");
    Path dataDir = keepData ? service.dataDir : Files.createTempDirectory("fetchstats-demo");
    FetchStatsConfig config =
        ConfigPart.config(kafka, topic, broker, service, fetch, processing, http).toBuilder()
            .dataDir(dataDir)
            .fetch(settings -> settings.allowPrivateNetworks(true)) // the samples are on loopback
            .instanceId("demo-" + JobSubmitter.newJobId())
            // A throwaway broker need not take Kafka's port, nor remember one.
            .kafka(
                settings ->
                    settings.brokerPort(
                        keepData || broker.brokerPort != 0
                            ? broker.brokerPort
                            : EmbeddedKafka.anyFreePort()))
            .build();
    if (!http.portSet()) { // beside a 'run' on the default port
      config = config.toBuilder().http(config.http().withPort(0)).build();
    }
    // Ctrl-C ends the job's wait, stops what runs and removes the temporary data.
    try (ShutdownSignal signal = ShutdownSignal.install(config.stopTimeout(), err)) {
      try (SampleServer samples = SampleServer.start(SampleData.resources(sampleOptions.seed));
          Pipeline pipeline = Pipeline.start(config, EnumSet.allOf(Pipeline.Stage.class), true)) {
        int code = signal.run("fetchstats-demo-job", () -> runJob(samples, pipeline, out, err));
        if (!keepServing || code != Main.OK) {
          return code;
        }
        err.printf("Still serving the page at %s until Ctrl-C%n", pipeline.pageUrl().orElseThrow());
        err.flush();
        return signal.await(pipeline, err);
      } finally {
        deleteQuietly(keepData ? null : dataDir);
      }
    }
  }

  private int runJob(SampleServer samples, Pipeline pipeline, PrintWriter out, PrintWriter err) {
    err.printf("Sample data served at %s%n", samples.baseUrl());
    JobSubmitter.Submission job =
        JobSubmitter.submitOnce(
            pipeline.config(), JobSubmitter.newJobId(), SampleData.urls(samples.baseUrl()));
    err.printf("Submitted job %s with %s%n", job.jobId(), Main.count(job.urls(), "URL"));
    err.printf("Watch it at %s#/jobs/%s%n", pipeline.pageUrl().orElseThrow(), job.jobId());
    err.flush();
    Optional<JobResult> result;
    try (ResultsReader reader = new ResultsReader(pipeline.config(), job.jobId())) {
      result =
          reader.awaitComplete(timeout, new ProgressPrinter(err)).filter(JobResult::getComplete);
    }
    if (result.isEmpty()) {
      err.printf("The demo job did not complete within %s%n", Durations.format(timeout));
      return Main.TIMED_OUT;
    }
    out.println();
    out.print(ResultsTable.render(result.get()));
    out.flush();
    return Main.OK;
  }

  /** Deletes {@code dir} (if not null) and what it holds, as far as it can. */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      // Best effort: the broker may still be writing while the JVM exits.
    }
  }
}
