package io.fetchstats.cli;

import io.fetchstats.bench.FetchBenchmark;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks against the loopback sample server; see BENCHMARKS.md.",
    subcommands = {BenchCommand.Fetch.class, CommandLine.HelpCommand.class})
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
    SWEEP;

    /** Accepts the names in lower case, as the help shows them. */
    static final class Converter implements CommandLine.ITypeConverter<Scenario> {
      @Override
      public Scenario convert(String value) {
        return Scenario.valueOf(value.toUpperCase(Locale.ROOT));
      }
    }
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Measure the ingest stage's fetching against a loopback server in this JVM: latency-bound"
            + " wall time, small-body rate (alone, to Kafka, and wrk's), large-body MB/s and"
            + " peak heap, and a sweep of pool sizes. Prints markdown tables; progress goes to"
            + " stderr.",
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
        names = "--only",
        split = ",",
        paramLabel = "SCENARIO",
        converter = Scenario.Converter.class,
        description = "Run only these: latency, small, large, sweep (default: all).")
    List<Scenario> only;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the report here.")
    Path output;

    @Override
    public Integer call() throws IOException {
      FetchBenchmark.Settings settings =
          new FetchBenchmark.Settings(
              runs, urls, latencyMs, smallFetches, largeFetches, Duration.ofSeconds(wrkSeconds));
      Set<Scenario> scenarios = only == null ? EnumSet.allOf(Scenario.class) : EnumSet.copyOf(only);
      PrintWriter out = spec.commandLine().getOut();
      Path dataDir = Files.createTempDirectory("fetchstats-bench");
      StringBuilder report = new StringBuilder();
      try (QuietLogs quiet = new QuietLogs("io.fetchstats");
          SampleServer server = SampleServer.start(Map.of());
          FetchBenchmark bench =
              new FetchBenchmark(settings, server, dataDir, spec.commandLine().getErr())) {
        report.append(
            String.format(
                Locale.ROOT,
                "## Fetching%n%n- `fetchstats %s`, %s%n%s%n",
                String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                bench.environment()));
        out.print(report);
        out.flush();
        for (Scenario scenario : scenarios) {
          String section =
              switch (scenario) {
                case LATENCY -> bench.latencyBound();
                case SMALL -> bench.smallBodies();
                case LARGE -> bench.largeBodies();
                case SWEEP -> bench.poolSweep();
              };
          report.append(section).append(System.lineSeparator());
          out.print(section);
          out.println();
          out.flush();
        }
      } finally {
        DemoCommand.deleteQuietly(dataDir);
      }
      if (output != null) {
        Files.writeString(output, report);
      }
      return Main.OK;
    }
  }
}
