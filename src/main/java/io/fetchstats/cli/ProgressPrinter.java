package io.fetchstats.cli;

import io.fetchstats.avro.JobResult;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints a line each time a job's completed-URL count moves. */
final class ProgressPrinter implements Consumer<JobResult> {
  private final PrintWriter out;
  private int lastCompleted = -1;

  ProgressPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void accept(JobResult result) {
    if (result.getUrlsCompleted() != lastCompleted) {
      lastCompleted = result.getUrlsCompleted();
      String expected =
          result.getUrlsExpected() == null ? "?" : result.getUrlsExpected().toString();
      out.printf(
          "progress: %d/%s URLs done, %d failed%n",
          result.getUrlsCompleted(), expected, result.getUrlsFailed());
      out.flush();
    }
  }
}
