package io.fetchstats.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes of several processes on one host, each in a JVM of its own beside a running {@code
 * run}: the same command twice on one data dir, an ingest started with defaults beside it, and a
 * process given the instance id a live one has. Each newcomer either works beside the others or is
 * refused at once, and the running pipeline goes on untouched.
 */
@Timeout(240)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneHostIT {
  private static final Pattern INSTANCE = Pattern.compile("Ingest started as instance (\\S+):");

  @TempDir static Path dir;
  private final List<Process> children = new ArrayList<>();
  private SampleServer http;
  private Path dataDir;
  private Process run;
  private List<String> runCommand;
  private FetchStatsConfig client;

  @BeforeAll
  void startRun() throws Exception {
    http = SampleServer.start(Map.of());
    dataDir = dir.resolve("fetchstats-data");
    int brokerPort = EmbeddedKafka.anyFreePort();
    runCommand =
        List.of(
            "run",
            "--data-dir=" + dataDir,
            "--broker-port=" + brokerPort,
            "--http-port=0",
            "--allow-private-networks",
            "--partitions=2",
            "--stream-threads=1");
    run = start("run.log", runCommand);
    awaitLog("run.log", "fetchstats is running with Kafka at localhost:" + brokerPort);
    client =
        FetchStatsConfig.builder()
            .kafka(kafka -> kafka.bootstrapServers("localhost:" + brokerPort))
            .dataDir(dir.resolve("client"))
            .build();
  }

  @AfterAll
  void stopAll() {
    children.forEach(Process::destroyForcibly);
    http.close();
  }

  @Test
  void theSameRunTwiceOnOneDataDirIsRefusedAtOnceAndTheFirstGoesOn() throws Exception {
    Process second = start("second-run.log", runCommand);

    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isEqualTo(1);
    assertThat(log("second-run.log"))
        .contains("data dir " + dataDir + " is in use by process " + run.pid())
        .doesNotContain("Exception");
    assertJobCompletes();
    assertThat(log("run.log")).doesNotContain("ERROR");
  }

  @Test
  void ingestsWithDefaultsBesideRunNeverCollideAndALiveIdIsNotTakenOver() throws Exception {
    Process ingest =
        start(
            "ingest.log",
            List.of(
                "ingest",
                "--bootstrap-servers=" + client.kafka().bootstrapServers(),
                "--data-dir=" + dataDir,
                "--allow-private-networks"));
    String runId = instanceId("run.log");
    String ingestId = instanceId("ingest.log");
    assertThat(ingestId).isNotEqualTo(runId);

    // Another data dir, so only Kafka can tell that the id is taken.
    Process clash =
        start(
            "clash.log",
            List.of(
                "ingest",
                "--bootstrap-servers=" + client.kafka().bootstrapServers(),
                "--data-dir=" + dir.resolve("elsewhere"),
                "--instance-id=" + runId,
                "--allow-private-networks"));
    assertThat(clash.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(clash.exitValue()).isEqualTo(1);
    assertThat(log("clash.log"))
        .contains("instance id " + runId + " is in use by a running ingest (")
        .contains("(process " + run.pid() + " on host ")
        .contains(", a member of Kafka group fetchstats.ingest)");

    assertJobCompletes();
    assertThat(run.isAlive()).isTrue();
    assertThat(ingest.isAlive()).isTrue();
    assertThat(log("run.log")).doesNotContain("Fenced").doesNotContain("stopped");
  }

  private void assertJobCompletes() {
    List<String> urls = new ArrayList<>();
    for (int seed = 0; seed < 8; seed++) {
      urls.add(http.baseUrl() + "/gen/csv?bytes=20000&seed=" + seed);
    }
    JobResult result = JobRuns.awaitComplete(client, JobRuns.submit(client, urls));
    assertThat(result.getUrlsSucceeded()).isEqualTo(urls.size());
  }

  private Process start(String logName, List<String> arguments) throws IOException {
    Process process =
        ChildJvm.fetchstats(dir.resolve(logName), List.of(), arguments.toArray(String[]::new));
    children.add(process);
    return process;
  }

  private String instanceId(String logName) {
    awaitLog(logName, "Ingest started as instance");
    Matcher matcher = INSTANCE.matcher(log(logName));
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  private void awaitLog(String logName, String line) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> log(logName).contains(line));
  }

  private String log(String logName) {
    try {
      Path file = dir.resolve(logName);
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
