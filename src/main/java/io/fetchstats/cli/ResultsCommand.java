package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    description = {
      "Print a job's latest result as a table, or as one line of JSON.",
      "Exit codes: 0 found (and complete, with --wait or --follow), 1 complete but some URLs"
          + " failed (with --wait or --follow, as 'fetch'), 3 not complete in time, 4 no result for"
          + " the job."
    })
final class ResultsCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "JOB_ID", description = "The job id that submit printed.")
  String jobId;

  @Option(names = "--wait", description = "Wait until the job is complete.")
  boolean await;

  @Option(
      names = "--follow",
      description =
          "Print every update of the job's result as it comes (with --json one line of JSON each,"
              + " else a progress line each and the table at the end), until it is complete or"
              + " --timeout passes; implies --wait.")
  boolean follow;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "Print JSON (field names as in schemas/JobResult.avsc).")
  boolean json;

  @Option(
      names = "--failures",
      description =
          "List every failed URL of the job with its reason (from url-results, all of them; the"
              + " job result lists the first ones), after --wait if given. With --json, one object"
              + " per line: url, errorClass, error.")
  boolean failures;

  @Override
  public Integer call() {
    FetchStatsConfig config = kafka.reachable(spec);
    return new ResultsQuery(jobId, await, follow, failures, json, timeout)
        .run(config, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
