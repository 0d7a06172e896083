package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.it.ChildJvm;
import io.fetchstats.it.SharedBroker;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.kafka.Topics;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest stage in a child JVM, killed with SIGKILL in the middle of a batch and started again:
 * every URL ends in exactly one committed outcome, and no chunk of the killed attempt is visible.
 */
@Timeout(180)
class IngestKillIT {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();
  private static final int URLS = 48;
  private static final int FETCH_THREADS = 8;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int FIRST_BATCH = 4 * FETCH_THREADS; // URLs in a transaction

  @TempDir Path logs;
  private FetchStatsConfig config;
  private Topics topics;
  private SampleServer server;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void setUp() {
    config =
        FetchStatsConfig.builder()
            .kafka(
                kafka ->
                    kafka
                        .bootstrapServers(BROKER.bootstrapServers())
                        .topicPrefix("kill-" + UUID.randomUUID().toString().substring(0, 8) + "."))
            .dataDir(logs)
            .fetch(fetch -> fetch.threads(FETCH_THREADS).requestTimeout(REQUEST_TIMEOUT))
            .build();
    topics = Topics.of(config);
    assertThat(BatchLimits.of(config, IngestService.BATCH_BUDGET).maxUrls()).isEqualTo(FIRST_BATCH);
    try (TopicAdmin admin = new TopicAdmin(config)) {
      admin.createMissing(false);
    }
    server = SampleServer.start(Map.of());
  }

  @AfterEach
  void tearDown() {
    children.forEach(Process::destroyForcibly);
    server.close();
  }

  @Test
  void killedMidBatchAndRestartedGivesExactlyOneOutcomePerUrl() throws Exception {
    StringBuilder urls = new StringBuilder();
    for (int i = 0; i < URLS; i++) {
      // The first batch is quick; the second trickles its bodies, so that the kill lands while
      // its chunks are being published.
      String pace = i < FIRST_BATCH ? "latency=100" : "fault=slow&rate=1000";
      urls.append(server.baseUrl())
          .append("/gen/text?bytes=3000&seed=")
          .append(i)
          .append('&')
          .append(pace)
          .append('\n');
    }
    BROKER.send(config, topics.urlText(), "job-kill", urls.toString());

    Process first = startIngest("first.log");
    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes().size() >= FIRST_BATCH);
    // Chunks of the second batch are written, in its open transaction.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                BROKER.readUncommitted(config, topics.chunks().name()).size()
                    > chunksOf(outcomes()));
    first.destroyForcibly().waitFor();
    assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    List<FetchOutcome> beforeRestart = outcomes();
    assertThat(beforeRestart).as("only the committed batch").hasSize(FIRST_BATCH);
    assertChunksMatchOutcomes(beforeRestart);

    Process second = startIngest("second.log");
    await().atMost(Duration.ofSeconds(90)).until(() -> outcomes().size() >= URLS);
    second.destroy();
    second.waitFor();

    List<FetchOutcome> all = outcomes();
    assertThat(all).hasSize(URLS);
    assertThat(all).extracting(FetchOutcome::getRequestId).doesNotHaveDuplicates();
    assertThat(all).extracting(FetchOutcome::getUrl).doesNotHaveDuplicates();
    assertThat(all).allSatisfy(outcome -> assertThat(outcome.getOk()).isTrue());
    assertChunksMatchOutcomes(all);
  }

  /** Every committed chunk belongs to a committed outcome, which counts exactly as many. */
  private void assertChunksMatchOutcomes(List<FetchOutcome> outcomes) {
    Map<String, Long> chunksPerRequest =
        BROKER.readCommitted(config, topics.chunks().name()).stream()
            .map(r -> new String(r.key(), StandardCharsets.UTF_8))
            .map(key -> key.substring(0, key.lastIndexOf('|')))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    Map<String, Long> announced =
        outcomes.stream()
            .collect(
                Collectors.toMap(
                    o -> o.getJobId() + "|" + o.getUrl() + "|" + o.getRequestId(),
                    o -> (long) o.getChunkCount()));
    assertThat(chunksPerRequest).isEqualTo(announced);
  }

  private static long chunksOf(List<FetchOutcome> outcomes) {
    return outcomes.stream().mapToLong(FetchOutcome::getChunkCount).sum();
  }

  private List<FetchOutcome> outcomes() {
    return BROKER.readCommitted(config, topics.fetches().name()).stream()
        .map(r -> topics.fetches().decode(r.value()))
        .toList();
  }

  /** {@code fetchstats ingest} in a JVM of its own, with the same instance id every time. */
  private Process startIngest(String logName) throws IOException {
    Process process =
        ChildJvm.fetchstats(
            logs.resolve(logName),
            List.of(),
            "ingest",
            "--bootstrap-servers=" + BROKER.bootstrapServers(),
            "--topic-prefix=" + config.kafka().topicPrefix(),
            "--instance-id=kill-test",
            "--fetch-threads=" + FETCH_THREADS,
            "--request-timeout=" + REQUEST_TIMEOUT,
            "--max-per-host=" + FETCH_THREADS,
            "--chunk-size=1024",
            "--allow-private-networks");
    children.add(process);
    return process;
  }
}
