package io.fetchstats.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What SIGINT and SIGTERM do to a long-running command, in this JVM: the signals are delivered by
 * hand (a process started in the background ignores SIGINT, and a real SIGTERM would end the
 * tests); {@code it.RunStopIT} sends real ones to a child JVM.
 */
@Timeout(60)
class ShutdownSignalTest {
  private final StringWriter err = new StringWriter();
  private final List<Integer> halts = new CopyOnWriteArrayList<>();

  private ShutdownSignal signal(Duration stopTimeout) {
    return new ShutdownSignal(stopTimeout, new PrintWriter(err, true), halts::add);
  }

  @Test
  void theFirstCtrlCAsksForAStopWithExitCode130AndTheSecondExitsAtOnce() throws Exception {
    try (ShutdownSignal signal = signal(Duration.ofSeconds(5))) {
      signal.signalled("INT", 2);

      assertThat(signal.await()).isEqualTo(130);
      assertThat(err.toString())
          .isEqualToIgnoringNewLines(
              "fetchstats: stopping on SIGINT (Ctrl-C again to exit at once)");
      assertThat(halts).isEmpty();

      signal.signalled("INT", 2);

      assertThat(halts).containsExactly(130);
      assertThat(err.toString()).contains("fetchstats: SIGINT again: exiting at once");
    }
    assertThat(err.toString()).containsPattern("fetchstats: stopped in \\d+\\.\\d s");
  }

  @Test
  void sigtermAsksForAStopWithExitCode143() throws Exception {
    try (ShutdownSignal signal = signal(Duration.ofSeconds(5))) {
      signal.signalled("TERM", 15);

      assertThat(signal.await()).isEqualTo(143);
    }
    assertThat(err.toString())
        .startsWith("fetchstats: stopping on SIGTERM (a second signal to exit at once)")
        .contains("fetchstats: stopped in ");
    assertThat(halts).isEmpty();
  }

  @Test
  void aStopThatOverrunsItsBoundExitsAtOnce() {
    try (ShutdownSignal signal = signal(Duration.ofMillis(1))) {
      signal.signalled("TERM", 15);

      await()
          .atMost(ShutdownSignal.HALT_GRACE.plusSeconds(20))
          .until(() -> halts.equals(List.of(143)));
      assertThat(err.toString()).contains("fetchstats: not stopped within 5.0 s: exiting at once");
    }
  }

  @Test
  void aStopEndsTheWaitForTheWorkWithTheSignalsExitCode() throws Exception {
    CountDownLatch workEnds = new CountDownLatch(1);
    try (ShutdownSignal signal = signal(Duration.ofSeconds(5))) {
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return signal.run(
                      "work",
                      () -> {
                        workEnds.await();
                        return Main.OK;
                      });
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });

      signal.signalled("INT", 2);

      assertThat(exit).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(130);
    } finally {
      workEnds.countDown();
    }
  }

  @Test
  void workThatEndsGivesItsOwnExitCodeAndNothingIsSaid() throws Exception {
    try (ShutdownSignal signal = signal(Duration.ofSeconds(5))) {
      assertThat(signal.run("work", () -> Main.TIMED_OUT)).isEqualTo(Main.TIMED_OUT);
    }
    assertThat(err.toString()).isEmpty();
    assertThat(halts).isEmpty();
  }
}
