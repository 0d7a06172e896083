package io.fetchstats.cli;

import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.results.ResultsJson;
import io.fetchstats.results.ResultsReader;
import io.fetchstats.results.ResultsTable;
import io.fetchstats.results.UrlResultsReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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
      "Exit codes: 0 found (and complete, with --wait or --follow), 3 not complete in time, 4 no"
          + " result for the job."
    })
final class ResultsCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
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
      defaultValue = "PT10M",
      description = "How long --wait waits, ISO-8601 (default: ${DEFAULT-VALUE}).")
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
    FetchStatsConfig config = options.toExternalConfig(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ResultsReader reader = new ResultsReader(config, config.bootstrapServers(), jobId)) {
      Optional<JobResult> result =
          await || follow ? reader.awaitComplete(timeout, updates(out, err)) : reader.latest();
      if (result.isEmpty()) {
        err.printf(
            "No result for job %s%s (unknown job, or nothing processed yet)%n",
            jobId, await || follow ? " within " + timeout : "");
        return Main.NOT_FOUND;
      }
      if (failures) {
        printFailures(out, config);
      } else if (!(follow && json)) { // followed as JSON lines, the last one was printed
        print(out, result.get());
      }
      if ((await || follow) && !result.get().getComplete()) {
        err.printf("Job %s did not complete within %s%n", jobId, timeout);
        return Main.TIMED_OUT;
      }
      return Main.OK;
    }
  }

  /** What waiting shows of each update: progress on stderr, or with --follow --json each update. */
  private Consumer<JobResult> updates(PrintWriter out, PrintWriter err) {
    if (follow && json) {
      return update -> {
        out.println(ResultsJson.render(update));
        out.flush();
      };
    }
    return new ProgressPrinter(follow ? out : err);
  }

  private void printFailures(PrintWriter out, FetchStatsConfig config) {
    for (UrlResult url : UrlResultsReader.latest(config, config.bootstrapServers(), jobId)) {
      if (url.getComplete() && Boolean.FALSE.equals(url.getOk())) {
        UrlFailure failure = new UrlFailure(url.getUrl(), url.getErrorClass(), url.getError());
        out.println(json ? ResultsJson.render(failure) : ResultsTable.render(failure));
      }
    }
    out.flush();
  }

  private void print(PrintWriter out, JobResult result) {
    out.print(
        json ? ResultsJson.render(result) + System.lineSeparator() : ResultsTable.render(result));
    out.flush();
  }
}
