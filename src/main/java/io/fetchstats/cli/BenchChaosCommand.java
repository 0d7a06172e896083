package io.fetchstats.cli;

import io.fetchstats.bench.ChaosBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench chaos}: the pipeline as separate JVMs, disturbed; see {@link ChaosBenchmark}. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Run the pipeline as separate JVMs (the broker alone, 2 ingest, 2 process, serve) and"
          + " disturb it: one job undisturbed, then one job per disturbance, each disturbed once"
          + " a quarter of its URLs are done, what was killed started again at once. Each result must"
          + " have the bits of the undisturbed one, and each URL one committed outcome. Prints a"
          + " markdown table; progress goes to stderr; exits 1 if a job fails that.",
      "Times depend on the machine: the JVMs and the sample server share its cores."
    })
final class BenchChaosCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--urls",
      defaultValue = "2000",
      description = "URLs of each job (default: ${DEFAULT-VALUE}).")
  int urls;

  @Option(
      names = "--latency-ms",
      defaultValue = "50",
      description =
          "How long the server takes to answer a good URL, which paces a job (default:"
              + " ${DEFAULT-VALUE}).")
  int latencyMs;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "SCENARIO",
      converter = ScenarioLabel.class,
      description =
          "Run only these after the undisturbed job: kill-ingest, kill-processor, kill-both,"
              + " broker-stop, broker-kill (default: all).")
  List<ChaosBenchmark.Scenario> only;

  @Option(
      names = "--job-timeout",
      defaultValue = "10m",
      description = "How long a job may take (default: ${DEFAULT-VALUE}).")
  Duration jobTimeout;

  @Option(
      names = "--broker-downtime",
      defaultValue = "0s",
      description =
          "How long a stopped or killed broker stays away before it is started again"
              + " (default: ${DEFAULT-VALUE}, at once).")
  Duration brokerDowntime;

  @Option(names = "--output", paramLabel = "FILE", description = "Also write the report here.")
  Path output;

  @Override
  public Integer call() throws Exception {
    List<ChaosBenchmark.Scenario> disturbances =
        only != null
            ? only
            : Arrays.stream(ChaosBenchmark.Scenario.values())
                .filter(scenario -> scenario != ChaosBenchmark.Scenario.UNDISTURBED)
                .toList();
    ChaosBenchmark.Settings settings =
        new ChaosBenchmark.Settings(urls, latencyMs, disturbances, jobTimeout, brokerDowntime);
    List<ChaosBenchmark.Run> runs = new ArrayList<>();
    int exit =
        BenchCommand.run(
            spec,
            "Chaos",
            output,
            (server, dataDir, progress) -> new ChaosBenchmark(settings, server, dataDir, progress),
            ChaosBenchmark::environment,
            bench ->
                List.of(
                    () -> {
                      runs.addAll(bench.runAll());
                      return bench.report(runs);
                    }));
    return runs.stream().allMatch(ChaosBenchmark.Run::passed) ? exit : Main.FAILED;
  }

  /** A chaos scenario by its label: {@code kill-ingest}. */
  static final class ScenarioLabel implements ITypeConverter<ChaosBenchmark.Scenario> {
    @Override
    public ChaosBenchmark.Scenario convert(String label) {
      return Arrays.stream(ChaosBenchmark.Scenario.values())
          .filter(scenario -> scenario.label().equals(label))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no scenario " + label));
    }
  }
}
