package io.fetchstats.cli;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.results.ResultsReader;
import io.fetchstats.results.ResultsTable;
import io.fetchstats.samples.SampleData;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
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
      "Needs no internet: the broker is embedded (unless --bootstrap-servers) and the data local."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Spec CommandSpec spec;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description = "How long to wait for the job, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean keepData = spec.commandLine().getParseResult().hasMatchedOption("--data-dir");
    Path dataDir = keepData ? options.dataDir : Files.createTempDirectory("fetchstats-demo");
    FetchStatsConfig config =
        options.toConfig().toBuilder()
            .dataDir(dataDir)
            .allowPrivateNetworks(true) // the samples are on loopback
            .instanceId("demo-" + JobSubmitter.newJobId())
            .build();
    try (SampleServer samples = SampleServer.start(SampleData.resources(seed));
        Pipeline pipeline = Pipeline.start(config)) {
      // On Ctrl-C, stop the pipeline and remove the temporary data before the JVM exits.
      Thread cleanup =
          new Thread(() -> stop(pipeline, keepData ? null : dataDir), "fetchstats-demo-cleanup");
      Runtime.getRuntime().addShutdownHook(cleanup);
      try {
        return runJob(config, samples, pipeline, out, err);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
          // Already shutting down: the hook does the cleaning.
        }
      }
    } finally {
      if (!keepData) {
        deleteRecursively(dataDir);
      }
    }
  }

  private int runJob(
      FetchStatsConfig config,
      SampleServer samples,
      Pipeline pipeline,
      PrintWriter out,
      PrintWriter err) {
    err.printf("Sample data served at %s%n", samples.baseUrl());
    JobSubmitter.Submission job =
        new JobSubmitter(config, pipeline.bootstrapServers(), Clock.systemUTC())
            .submit(JobSubmitter.newJobId(), SampleData.urls(samples.baseUrl()));
    err.printf("Submitted job %s with %d URLs%n", job.jobId(), job.urls());
    err.flush();
    Optional<JobResult> result;
    try (ResultsReader reader = new ResultsReader(config, pipeline.bootstrapServers())) {
      result = reader.awaitComplete(job.jobId(), timeout, new ProgressPrinter(err));
    }
    if (result.isEmpty()) {
      err.printf("The demo job did not complete within %s%n", timeout);
      return Main.TIMED_OUT;
    }
    out.println();
    out.print(ResultsTable.render(result.get()));
    out.flush();
    return Main.OK;
  }

  private static void stop(Pipeline pipeline, Path dataDirToDelete) {
    pipeline.close();
    if (dataDirToDelete != null) {
      try {
        deleteRecursively(dataDirToDelete);
      } catch (IOException | UncheckedIOException e) {
        // Best effort while the JVM exits.
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
