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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest stage in a child JVM, killed with SIGKILL in the middle of a job, while a body's first
 * chunks are committed and the rest is still coming, and started again: every URL ends in exactly
 * one committed outcome, whose fetch has exactly the chunks it announces committed; the chunks of
 * the fetch the kill cut short stay, under a fetch id no outcome names.
 */
@Timeout(180)
class IngestKillIT {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();
  private static final int URLS = 48;
  private static final int FETCH_THREADS = 8;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int QUICK = 4 * FETCH_THREADS;

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
  void killedMidBodyAndRestartedGivesExactlyOneOutcomePerUrl() throws Exception {
    StringBuilder urls = new StringBuilder();
    for (int i = 0; i < URLS; i++) {
      // The first are quick; the others trickle their bodies (past the 64 KiB read before the
      // first chunk, then a chunk every 20 ms for 4 s), so that the kill lands while chunks of a
      // body are committed and the rest is not.
      String pace = i < QUICK ? "bytes=3000&latency=100" : "bytes=200000&fault=slow&rate=50000";
      urls.append(server.baseUrl())
          .append("/gen/text?seed=")
          .append(i)
          .append('&')
          .append(pace)
          .append('\n');
    }
    BROKER.send(config, topics.urlText(), "job-kill", urls.toString());

    Process first = startIngest("first.log");
    await().atMost(Duration.ofSeconds(60)).until(() -> outcomes().size() >= QUICK);
    await().atMost(Duration.ofSeconds(60)).until(() -> !cutShort().isEmpty());
    first.destroyForcibly().waitFor();
    assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    List<FetchOutcome> beforeRestart = outcomes();
    assertThat(beforeRestart).extracting(FetchOutcome::getRequestId).doesNotHaveDuplicates();
    assertEachFetchHasItsChunks(beforeRestart);
    Set<String> cutShort = cutShort();

    Process second = startIngest("second.log");
    await().atMost(Duration.ofSeconds(90)).until(() -> outcomes().size() >= URLS);
    second.destroy();
    second.waitFor();

    List<FetchOutcome> all = outcomes();
    assertThat(all).hasSize(URLS);
    assertThat(all).extracting(FetchOutcome::getRequestId).doesNotHaveDuplicates();
    assertThat(all).extracting(FetchOutcome::getUrl).doesNotHaveDuplicates();
    assertThat(all).allSatisfy(outcome -> assertThat(outcome.getOk()).isTrue());
    assertEachFetchHasItsChunks(all);
    // The fetches the kill cut short were fetched again: their chunks stay, named by no outcome.
    assertThat(cutShort).isNotEmpty().doesNotContainAnyElementsOf(fetchesOf(all));
    assertThat(chunksPerFetch().keySet()).containsAll(cutShort);
  }

  /** Each outcome's fetch has exactly as many committed chunks as it announces. */
  private void assertEachFetchHasItsChunks(List<FetchOutcome> outcomes) {
    Map<String, Long> chunks = chunksPerFetch();
    for (FetchOutcome outcome : outcomes) {
      assertThat(chunks.getOrDefault(fetchOf(outcome), 0L))
          .as(outcome.getUrl())
          .isEqualTo(outcome.getChunkCount());
    }
  }

  /** Fetches with committed chunks that no committed outcome names. */
  private Set<String> cutShort() {
    // Chunks first: an outcome committed meanwhile is read with the outcomes, not taken for none.
    Set<String> fetches = new HashSet<>(chunksPerFetch().keySet());
    fetches.removeAll(fetchesOf(outcomes()));
    return fetches;
  }

  /** Committed chunks per fetch (request and fetch id). */
  private Map<String, Long> chunksPerFetch() {
    return BROKER.readCommitted(config, topics.chunks().name()).stream()
        .map(r -> topics.chunks().decode(r.value()))
        .collect(
            Collectors.groupingBy(
                chunk -> chunk.getRequestId() + "#" + chunk.getFetchId(), Collectors.counting()));
  }

  private static Set<String> fetchesOf(List<FetchOutcome> outcomes) {
    return outcomes.stream().map(IngestKillIT::fetchOf).collect(Collectors.toSet());
  }

  private static String fetchOf(FetchOutcome outcome) {
    return outcome.getRequestId() + "#" + outcome.getFetchId();
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
