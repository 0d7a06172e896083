package io.fetchstats.cli;

import io.fetchstats.bench.FetchBenchmark;
import io.fetchstats.bench.PipelineBenchmark;
import io.fetchstats.samples.GeneratedBody;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks against the loopback sample server; see BENCHMARKS.md.",
    subcommands = {
      BenchCommand.Fetch.class,
      BenchCommand.PipelineBench.class,
      BenchChaosCommand.class,
      CommandLine.HelpCommand.class
    })
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The scenarios of {@code bench fetch}, in the order they run. */
  enum Scenario {
    LATENCY,
    SMALL,
    LARGE,
    SWEEP,
    MANY;
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Measure the ingest stage's fetching against a loopback server in this JVM: latency-bound"
            + " wall time, small-body rate (alone, to Kafka, and wrk's), large-body MB/s and"
            + " peak heap, a sweep of pool sizes, and a job of many small URLs through the whole"
            + " pipeline against the fetcher alone (the longest part: at the default 100,000 URLs,"
            + " about 5 minutes). Prints markdown tables; progress goes to stderr.",
        "Timings depend on the machine: client, server and the embedded broker share its cores."
      })
  static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--runs",
        defaultValue = "3",
        description = "Measured runs of each case, after one warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--urls",
        defaultValue = "2000",
        description = "URLs of a latency-bound run (default: ${DEFAULT-VALUE}).")
    int urls;

    @Option(
        names = "--latency-ms",
        defaultValue = "50",
        description =
            "The server's latency in the latency-bound cases (default: ${DEFAULT-VALUE}).")
    int latencyMs;

    @Option(
        names = "--small-fetches",
        defaultValue = "20000",
        description = "Fetches of a ~1 KiB body per run (default: ${DEFAULT-VALUE}).")
    int smallFetches;

    @Option(
        names = "--large-fetches",
        defaultValue = "1000",
        description = "Fetches of a ~1 MiB body per run (default: ${DEFAULT-VALUE}).")
    int largeFetches;

    @Option(
        names = "--wrk-seconds",
        defaultValue = "5",
        description = "How long each run of wrk lasts (default: ${DEFAULT-VALUE}).")
    int wrkSeconds;

    @Option(
        names = "--sweep-multiples",
        split = ",",
        paramLabel = "N",
        defaultValue = "1,2,4,8,16,32",
        description = "Pool sizes of the sweep, times the cores (default: ${DEFAULT-VALUE}).")
    List<Integer> sweepMultiples; // 1 to 32 times the cores: where a pool stops gaining

    @Option(
        names = "--many-urls",
        defaultValue = "100000",
        description =
            "URLs of the big job, ~1 KiB of CSV each, answered after 10 ms (default:"
                + " ${DEFAULT-VALUE}).")
    int manyUrls;

    @Option(
        names = "--only",
        split = ",",
        paramLabel = "SCENARIO",
        description = "Run only these: latency, small, large, sweep, many (default: all).")
    List<Scenario> only;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the report here.")
    Path output;

    @Override
    public Integer call() throws Exception {
      FetchBenchmark.Settings settings =
          new FetchBenchmark.Settings(
              runs,
              urls,
              latencyMs,
              smallFetches,
              largeFetches,
              Duration.ofSeconds(wrkSeconds),
              sweepMultiples,
              manyUrls);
      Set<Scenario> scenarios = only == null ? EnumSet.allOf(Scenario.class) : EnumSet.copyOf(only);
      return run(
          spec,
          "Fetching",
          output,
          (server, dataDir, progress) -> new FetchBenchmark(settings, server, dataDir, progress),
          FetchBenchmark::environment,
          bench ->
              scenarios.stream()
                  .<Supplier<String>>map(
                      scenario ->
                          switch (scenario) {
                            case LATENCY -> bench::latencyBound;
                            case SMALL -> bench::smallBodies;
                            case LARGE -> bench::largeBodies;
                            case SWEEP -> bench::poolSweep;
                            case MANY -> bench::manyUrls;
                          })
                  .toList());
    }
  }

  /** The scenarios of {@code bench pipeline}, in the order they run. */
  enum PipelineScenario {
    E2E,
    SCALING,
    SWEEP;
  }

  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description = {
        "Measure the whole pipeline on the embedded broker (loopback server, ingest, Kafka,"
            + " processor, job result): end-to-end MB/s beside Kafka's ProducerPerformance at the"
            + " chunk size, the processor alone at 1 and 2 stream threads, and a sweep of chunk"
            + " sizes. Prints markdown tables; progress goes to stderr.",
        "Timings depend on the machine: the server, the stages and the broker share its cores."
      })
  static final class PipelineBench implements Callable<Integer> {
    private static final long MIB = 1 << 20;

    @Spec CommandSpec spec;

    @Option(
        names = "--runs",
        defaultValue = "3",
        description = "Measured runs of each case, after one warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--total-mib",
        defaultValue = "1024",
        description =
            "MiB of bodies in a job of the end-to-end and scaling cases (default:"
                + " ${DEFAULT-VALUE}).")
    long totalMib;

    @Option(
        names = "--sweep-total-mib",
        defaultValue = "256",
        description = "MiB of bodies in a job of the chunk-size sweep (default: ${DEFAULT-VALUE}).")
    long sweepTotalMib;

    @Option(
        names = "--sweep-chunk-kib",
        split = ",",
        paramLabel = "KIB",
        defaultValue = "16,64,256,1024",
        description = "Chunk sizes of the sweep in KiB (default: ${DEFAULT-VALUE}).")
    List<Integer>
        sweepChunkKib; // many small records (overhead) to few large ones (less parallelism)

    @Option(
        names = "--urls",
        defaultValue = "8",
        description = "URLs of a job, sharing its bytes equally (default: ${DEFAULT-VALUE}).")
    int urls;

    @Option(
        names = "--formats",
        split = ",",
        defaultValue = "csv,text",
        description =
            "Formats of the generated bodies: text, csv, tsv, json, ndjson; the scaling case uses"
                + " the first (default: ${DEFAULT-VALUE}).")
    List<GeneratedBody.Kind> formats;

    @Option(
        names = "--only",
        split = ",",
        paramLabel = "SCENARIO",
        description = "Run only these: e2e, scaling, sweep (default: all).")
    List<PipelineScenario> only;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the report here.")
    Path output;

    @Override
    public Integer call() throws Exception {
      PipelineBenchmark.requireReference();
      PipelineBenchmark.Settings settings =
          new PipelineBenchmark.Settings(
              runs,
              totalMib * MIB,
              urls,
              sweepTotalMib * MIB,
              formats,
              sweepChunkKib.stream().map(kib -> kib << 10).toList());
      Set<PipelineScenario> scenarios =
          only == null ? EnumSet.allOf(PipelineScenario.class) : EnumSet.copyOf(only);
      return run(
          spec,
          "Pipeline",
          output,
          (server, dataDir, progress) -> new PipelineBenchmark(settings, server, dataDir, progress),
          PipelineBenchmark::environment,
          bench ->
              scenarios.stream()
                  .<Supplier<String>>map(
                      scenario ->
                          switch (scenario) {
                            case E2E -> bench::endToEnd;
                            case SCALING -> bench::scaling;
                            case SWEEP -> bench::chunkSweep;
                          })
                  .toList());
    }
  }

  /** Makes a benchmark on the sample server, with a data directory and a writer for progress. */
  @FunctionalInterface
  interface Opening<B extends AutoCloseable> {
    B open(SampleServer server, Path dataDir, PrintWriter progress);
  }

  /**
   * Runs a benchmark with the sample server and a temporary data directory, logs quiet: its
   * report's sections, as {@link #report} prints them.
   */
  static <B extends AutoCloseable> int run(
      CommandSpec spec,
      String title,
      Path output,
      Opening<B> opening,
      Function<B, String> environment,
      Function<B, List<Supplier<String>>> sections)
      throws Exception {
    Path dataDir = Files.createTempDirectory("fetchstats-bench");
    try (QuietLogs quiet = new QuietLogs("io.fetchstats");
        SampleServer server = SampleServer.start(Map.of());
        B bench = opening.open(server, dataDir, spec.commandLine().getErr())) {
      report(spec, title, environment.apply(bench), sections.apply(bench), output);
    } finally {
      DemoCommand.deleteQuietly(dataDir);
    }
    return Main.OK;
  }

  /**
   * Prints a report's heading (the command, the time, the machine), then each section as it is
   * made, and writes the whole report to {@code output} if given.
   */
  private static void report(
      CommandSpec spec,
      String title,
      String environment,
      List<Supplier<String>> sections,
      Path output)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder report =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "## %s%n%n- `fetchstats %s`, %s%n%s%n",
                title,
                String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                environment));
    out.print(report);
    out.flush();
    for (Supplier<String> section : sections) {
      String text = section.get();
      report.append(text).append(System.lineSeparator());
      out.print(text);
      out.println();
      out.flush();
    }
    if (output != null) {
      Files.writeString(output, report);
    }
  }
}
