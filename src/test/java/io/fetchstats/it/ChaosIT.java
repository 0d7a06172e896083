package io.fetchstats.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.bench.ChaosBenchmark;
import io.fetchstats.bench.ChaosBenchmark.Run;
import io.fetchstats.bench.ChaosBenchmark.Scenario;
import io.fetchstats.samples.SampleServer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite of {@code bench chaos} at a size for the build: the broker, two ingest, two
 * process and serve in JVMs of their own; a job undisturbed, then one per disturbance (kill -9 of
 * the busy ingest, of a processor, of both; the broker stopped with SIGTERM, and killed, and
 * started again on its data dir). Every job's result has the bits of the undisturbed one's and
 * every URL exactly one committed outcome, the one planned. The nodes' logs stay in the temporary
 * directory when it fails.
 */
@Timeout(600)
class ChaosIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void disturbedJobsGiveTheBitsOfTheUndisturbedOneAndOneOutcomePerUrl() {
    List<Scenario> disturbances =
        Arrays.stream(Scenario.values()).filter(s -> s != Scenario.UNDISTURBED).toList();
    // Small bodies, paced so that a job is still under way when it is disturbed.
    ChaosBenchmark.Settings settings =
        new ChaosBenchmark.Settings(200, 50, disturbances, Duration.ofMinutes(4), Duration.ZERO);
    PrintWriter progress = new PrintWriter(System.err, true, StandardCharsets.UTF_8);

    try (SampleServer server = SampleServer.start(Map.of());
        ChaosBenchmark chaos = new ChaosBenchmark(settings, server, dir, progress)) {
      List<Run> runs = chaos.runAll();

      assertThat(runs).extracting(Run::scenario).containsExactly(Scenario.values());
      assertThat(runs)
          .allSatisfy(
              run -> {
                assertThat(run.problems()).as(run.scenario().label()).isEmpty();
                assertThat(run.identical()).as(run.scenario().label()).isTrue();
                assertThat(run.oneOutcomeEach()).as(run.scenario().label()).isTrue();
              });
      assertThat(runs.subList(1, runs.size()))
          .allSatisfy(run -> assertThat(run.disturbedAt()).isBetween(50, 199));
      assertThat(
              chaos
                  .report(runs)
                  .lines()
                  .filter(line -> line.matches(".*\\|\\s+yes \\|\\s+yes \\|")))
          .hasSize(runs.size());
    }
  }
}
