package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.JobResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  private final StringWriter written = new StringWriter();
  private long nanos;

  private ProgressPrinter printer(boolean terminal) {
    return new ProgressPrinter(new PrintWriter(written), terminal, () -> nanos);
  }

  private static JobResult result(int done, int failed, long bytes, boolean complete) {
    return JobResult.newBuilder()
        .setJobId("j")
        .setComplete(complete)
        .setUrlsExpected(10)
        .setUrlsCompleted(done)
        .setUrlsSucceeded(done - failed)
        .setUrlsFailed(failed)
        .setBytes(bytes)
        .setChunks(0)
        .setRows(0)
        .setRaggedRows(0)
        .setFields(List.of())
        .setFailures(List.of())
        .build();
  }

  @Test
  void aLineTellsUrlsFailuresMegabytesAndRateAndEtaSinceTheFirstResultSeen() {
    JobResult first = result(2, 0, 10_000_000, false); // seen when the job was under way

    assertThat(ProgressPrinter.line(first, first, Duration.ZERO))
        .isEqualTo("progress: 2/10 URLs done, 0 failed, 10.0 MB");
    assertThat(ProgressPrinter.line(result(4, 1, 30_000_000, false), first, Duration.ofSeconds(2)))
        .isEqualTo("progress: 4/10 URLs done, 1 failed, 30.0 MB, 10.0 MB/s, ETA 6 s");
    assertThat(ProgressPrinter.line(result(10, 1, 60_000_000, true), first, Duration.ofSeconds(5)))
        .isEqualTo("progress: 10/10 URLs done, 1 failed, 60.0 MB, 10.0 MB/s, complete in 5.0 s");
    JobResult done = result(10, 1, 60_000_000, true); // complete when first seen
    assertThat(ProgressPrinter.line(done, done, Duration.ZERO))
        .isEqualTo("progress: 10/10 URLs done, 1 failed, 60.0 MB, complete");
  }

  @Test
  void withoutATerminalLinesComeWhenWorkMovesAtMostEveryPeriodAndAtTheEnd() {
    ProgressPrinter printer = printer(false);

    printer.accept(result(1, 0, 1_000_000, false));
    nanos += Duration.ofMillis(500).toNanos();
    printer.accept(result(2, 0, 2_000_000, false)); // too soon
    nanos += ProgressPrinter.PERIOD.toNanos();
    printer.accept(result(2, 0, 2_000_000, false)); // due, and moved since the last line
    nanos += ProgressPrinter.PERIOD.toNanos();
    printer.accept(result(2, 0, 2_000_000, false)); // due, but nothing moved
    printer.accept(result(10, 0, 9_000_000, true)); // the end, always

    assertThat(written.toString().lines())
        .extracting(line -> line.substring(0, line.indexOf(" URLs")))
        .containsExactly("progress: 1/10", "progress: 2/10", "progress: 10/10");
  }

  @Test
  void onATerminalOneLineIsRedrawnAndEndedWhenComplete() {
    ProgressPrinter printer = printer(true);

    printer.accept(result(1, 0, 12_345_678, false));
    printer.accept(result(2, 0, 2_000_000, false));
    printer.accept(result(10, 0, 9_000_000, true));

    String shown = written.toString();
    assertThat(shown).startsWith("\rprogress: 1/10").doesNotContain("\n\r").endsWith("\n");
    assertThat(shown.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    assertThat(shown.split("\r")).hasSize(4); // empty, then three drawings
  }
}
