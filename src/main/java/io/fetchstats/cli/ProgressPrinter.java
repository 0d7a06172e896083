package io.fetchstats.cli;

import io.fetchstats.avro.JobResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Shows a job's progress as its results come: URLs done of those expected, failures, body MB, the
 * rate since the printer started, and an ETA from the share of URLs done. On a terminal one line is
 * redrawn in place; elsewhere (a log, a pipe) a plain line is printed when the count of URLs done
 * moves, at most once every {@link #PERIOD}, and always for the complete result.
 */
final class ProgressPrinter implements Consumer<JobResult> {
  static final Duration PERIOD = Duration.ofSeconds(2);

  private final PrintWriter out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final long start;
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
    this.start = nanoTime.getAsLong();
  }

  @Override
  public void accept(JobResult result) {
    long now = nanoTime.getAsLong();
    boolean moved = result.getUrlsCompleted() != lastCompleted;
    boolean due = lastPrinted == Long.MIN_VALUE || now - lastPrinted >= PERIOD.toNanos();
    if (!terminal && !result.getComplete() && !(moved && due)) {
      return;
    }
    lastCompleted = result.getUrlsCompleted();
    lastPrinted = now;
    String line = line(result, Duration.ofNanos(now - start));
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

  static String line(JobResult result, Duration elapsed) {
    Integer expected = result.getUrlsExpected();
    int done = result.getUrlsCompleted();
    double megabytes = result.getBytes() / 1e6;
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "progress: %d/%s URLs done, %d failed, %.1f MB, %.1f MB/s",
                done,
                expected == null ? "?" : expected.toString(),
                result.getUrlsFailed(),
                megabytes,
                megabytes / seconds));
    if (result.getComplete()) {
      line.append(String.format(Locale.ROOT, ", complete in %.1f s", seconds));
    } else if (expected != null && done > 0 && done < expected) {
      line.append(String.format(Locale.ROOT, ", ETA %.0f s", seconds * (expected - done) / done));
    }
    return line.toString();
  }
}
