package io.fetchstats.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topics;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetchstats run} in a JVM of its own, with its embedded broker, stopped by a signal while a
 * fetch hangs: it says so, exits with 128 + the signal's number within the stop timeout, shuts its
 * broker down cleanly, and the next start fetches the URL of the aborted batch again, giving it one
 * outcome.
 */
@Timeout(300)
class RunStopIT {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /** Room for a busy machine: what is tested is that the stop does not wait for the fetch. */
  private static final Duration SLACK = Duration.ofSeconds(10);

  private static final Pattern RUNNING =
      Pattern.compile("fetchstats is running with Kafka at (\\S+) ");

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void aSignalStopsRunWithinTheStopTimeoutAndTheAbortedFetchIsFetchedAgain() throws Exception {
    try (SampleServer server = SampleServer.start(Map.of())) {
      // Hangs the first time only: fetched again, it answers.
      String url = server.baseUrl() + "/gen/text?bytes=300&fault=hang&failures=1";
      Path firstLog = dir.resolve("first.log");
      Process first = startRun(firstLog);
      FetchStatsConfig config = client(awaitRunning(firstLog));
      String jobId = JobRuns.submit(config, List.of(url));
      await().atMost(Duration.ofSeconds(60)).until(() -> server.maxConcurrentRequests() == 1);

      first.destroy(); // SIGTERM

      assertThat(first.waitFor(STOP_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS))
          .as("stopped in time; %s", log(firstLog))
          .isTrue();
      assertThat(first.exitValue()).as(log(firstLog)).isEqualTo(143);
      assertThat(log(firstLog))
          .contains("fetchstats: stopping on SIGTERM")
          .contains("aborted what was not committed (1 fetches cut short)")
          .contains("fetchstats: stopped in ");
      // The broker writes this marker only when it shuts down cleanly.
      assertThat(dir.resolve("data").resolve("kafka-log").resolve(".kafka_cleanshutdown")).exists();

      Path secondLog = dir.resolve("second.log");
      Process second = startRun(secondLog);
      config = client(awaitRunning(secondLog));
      JobRuns.awaitComplete(config, jobId);
      assertThat(outcomes(config))
          .singleElement()
          .satisfies(outcome -> assertThat(outcome.getUrl()).isEqualTo(url))
          .satisfies(outcome -> assertThat(outcome.getOk()).isTrue());
      assertThat(server.requests()).isEqualTo(2);

      // A child of a process that ignores SIGINT ignores it too (as a shell's background jobs do),
      // and then only SIGTERM can ask it to stop; ShutdownSignalTest covers SIGINT in-process.
      boolean sigint = !ignoresSigint(second);
      kill(second, sigint ? "INT" : "TERM");

      assertThat(second.waitFor(STOP_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS))
          .as("stopped in time; %s", log(secondLog))
          .isTrue();
      assertThat(second.exitValue()).as(log(secondLog)).isEqualTo(sigint ? 130 : 143);
      assertThat(log(secondLog))
          .contains("fetchstats: stopping on SIG" + (sigint ? "INT" : "TERM"))
          .contains("fetchstats: stopped in ");
    }
  }

  /** {@code fetchstats run} with its broker's data in the test's directory, every time. */
  private Process startRun(Path log) throws IOException {
    Process process =
        ChildJvm.fetchstats(
            log,
            List.of(),
            "run",
            "--data-dir=" + dir.resolve("data"),
            "--http-port=0",
            "--allow-private-networks",
            "--instance-id=stop-test",
            "--partitions=1",
            "--stream-threads=1",
            "--stop-timeout=" + STOP_TIMEOUT);
    children.add(process);
    return process;
  }

  /** Waits for the line that says {@code run} is up; returns its Kafka's address. */
  private static String awaitRunning(Path log) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> find(RUNNING, log(log)), Optional::isPresent)
        .orElseThrow();
  }

  private static Optional<String> find(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private FetchStatsConfig client(String bootstrapServers) {
    return FetchStatsConfig.builder()
        .kafka(kafka -> kafka.bootstrapServers(bootstrapServers))
        .dataDir(dir.resolve("client"))
        .build();
  }

  private static String log(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Every committed outcome: read up to the end offsets, which read_committed caps. */
  private static List<FetchOutcome> outcomes(FetchStatsConfig config) {
    AvroSerde<FetchOutcome> serde = AvroSerde.of(FetchOutcome.class);
    return SharedBroker.read(
            KafkaClients.readCommittedConsumer(config, null), Topics.of(config).fetches().name())
        .stream()
        .map(record -> serde.decode(record.value()))
        .toList();
  }

  /** Whether the process ignores SIGINT (Linux tells in /proc; elsewhere assume it does). */
  private static boolean ignoresSigint(Process process) throws IOException {
    Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
    if (!Files.exists(status)) {
      return true;
    }
    String ignored =
        find(Pattern.compile("SigIgn:\\s*([0-9a-f]+)"), Files.readString(status)).orElseThrow();
    return (Long.parseUnsignedLong(ignored, 16) & (1L << (2 - 1))) != 0; // SIGINT is 2
  }

  private static void kill(Process process, String signal)
      throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
