package io.fetchstats.cli;

import io.fetchstats.avro.JobResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Shows a job's progress as its results come: URLs done of those expected, failures, body MB, and,
 * measured from the first result seen (which may come when the job is half done), the rate and an
 * ETA from the URLs done since. On a terminal one line is redrawn in place; elsewhere (a log, a
 * pipe) a plain line is printed when the count of URLs done moves, at most once every {@link
 * #PERIOD}, and always for the complete result.
 */
final class ProgressPrinter implements Consumer<JobResult> {
  static final Duration PERIOD = Duration.ofSeconds(2);

  private final PrintWriter out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private JobResult first;
  private long firstSeen;
  private long lastPrinted = Long.MIN_VALUE;
  private int lastCompleted = -1;
  private int width;

  /** For people: redraws in place when this JVM has a terminal. */
  ProgressPrinter(PrintWriter out) {
    this(out, System.console() != null, System::nanoTime);
  }

  ProgressPrinter(PrintWriter out, boolean terminal, LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
  }

  @Override
  public void accept(JobResult result) {
    long now = nanoTime.getAsLong();
    if (first == null) {
      first = result;
      firstSeen = now;
    }
    boolean moved = result.getUrlsCompleted() != lastCompleted;
    boolean due = lastPrinted == Long.MIN_VALUE || now - lastPrinted >= PERIOD.toNanos();
    if (!terminal && !result.getComplete() && !(moved && due)) {
      return;
    }
    lastCompleted = result.getUrlsCompleted();
    lastPrinted = now;
    String line = line(result, first, Duration.ofNanos(now - firstSeen));
    if (terminal) {
      // Spaces wipe what is left of a longer line before.
      out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
      if (result.getComplete()) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The line for {@code result}, {@code elapsed} after {@code first} was seen. */
  static String line(JobResult result, JobResult first, Duration elapsed) {
    Integer expected = result.getUrlsExpected();
    int done = result.getUrlsCompleted();
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "progress: %d/%s URLs done, %d failed, %.1f MB",
                done,
                expected == null ? "?" : expected.toString(),
                result.getUrlsFailed(),
                result.getBytes() / 1e6));
    double seconds = elapsed.toMillis() / 1000.0;
    if (seconds >= 1) {
      line.append(
          String.format(
              Locale.ROOT, ", %.1f MB/s", (result.getBytes() - first.getBytes()) / 1e6 / seconds));
    }
    int doneSince = done - first.getUrlsCompleted();
    if (result.getComplete()) {
      line.append(
          first.getComplete()
              ? ", complete"
              : String.format(Locale.ROOT, ", complete in %.1f s", seconds));
    } else if (expected != null && doneSince > 0 && seconds >= 1) {
      line.append(
          String.format(Locale.ROOT, ", ETA %.0f s", seconds * (expected - done) / doneSince));
    }
    return line.toString();
  }
}
