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
import java.util.function.Consumer;

/**
 * What {@code results} (and {@code submit --wait}) show of a job: its latest result, after waiting
 * for completion or following every update if asked, as a table or JSON, or its failed URLs.
 */
record ResultsQuery(
    String jobId, boolean await, boolean follow, boolean failures, boolean json, Duration timeout) {

  /** Prints what was asked; returns the exit code (see {@code results --help}). */
  int run(FetchStatsConfig config, PrintWriter out, PrintWriter err) {
    boolean waits = await || follow;
    try (ResultsReader reader = new ResultsReader(config, jobId)) {
      Optional<JobResult> result =
          waits ? reader.awaitComplete(timeout, updates(out, err)) : reader.latest();
      if (result.isEmpty()) {
        err.printf(
            "No result for job %s%s (unknown job, or nothing processed yet)%n",
            jobId, waits ? " within " + Durations.format(timeout) : "");
        return Main.NOT_FOUND;
      }
      if (failures) {
        printFailures(config, out);
      } else if (!(follow && json)) { // followed as JSON lines, the last one was printed
        out.print(
            json
                ? ResultsJson.render(result.get()) + System.lineSeparator()
                : ResultsTable.render(result.get()));
        out.flush();
      }
      if (!waits) {
        return Main.OK;
      }
      if (!result.get().getComplete()) {
        err.printf("Job %s did not complete within %s%n", jobId, Durations.format(timeout));
        return Main.TIMED_OUT;
      }
      // A script waiting on a job learns that something failed as it would from 'fetch'.
      int failed = result.get().getUrlsFailed();
      if (failed > 0) {
        err.printf(
            "Job %s complete: %s of %d failed%n",
            jobId, Main.count(failed, "URL"), result.get().getUrlsCompleted());
        return Main.FAILED;
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

  private void printFailures(FetchStatsConfig config, PrintWriter out) {
    for (UrlResult url : UrlResultsReader.latest(config, jobId)) {
      if (url.getComplete() && Boolean.FALSE.equals(url.getOk())) {
        UrlFailure failure = new UrlFailure(url.getUrl(), url.getErrorClass(), url.getError());
        out.println(json ? ResultsJson.render(failure) : ResultsTable.render(failure));
      }
    }
    out.flush();
  }
}
