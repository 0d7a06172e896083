package io.fetchstats.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.IngestService;
import io.fetchstats.metrics.Metrics;
import io.fetchstats.process.ProcessorApp;
import io.fetchstats.results.ResultsReader;
import io.fetchstats.samples.SampleServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor in a child JVM, killed with SIGKILL in the middle of a job and started again on its
 * state directory: the job's result has the bits of an uninterrupted run (exactly once).
 */
@Timeout(240)
class ProcessorKillTest {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();

  @TempDir Path dataDir;
  private final List<Process> children = new ArrayList<>();
  private final Metrics metrics = Metrics.inMemory();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
    metrics.close();
  }

  @Test
  void killedMidJobAndRestartedGivesTheBitsOfAnUninterruptedRun() throws Exception {
    try (SampleServer http = SampleServer.start(Map.of())) {
      List<String> urls = new ArrayList<>();
      for (int seed = 0; seed < 16; seed++) {
        // Answered slowly: two transactions of 8 URLs, about 4 s apart.
        String kind = seed % 2 == 0 ? "csv" : "json";
        urls.add(http.baseUrl() + "/gen/" + kind + "?bytes=60000&latency=1000&seed=" + seed);
      }

      JobResult reference = uninterrupted(urls);

      FetchStatsConfig config = slowIngest(JobRuns.pipeline(BROKER, dataDir, "killed"));
      try (IngestService ingest = IngestService.start(config, BROKER.bootstrapServers(), metrics)) {
        Process first = startProcessor(config, "first.log");
        // A first job shows the processor running before the one it is killed in.
        JobRuns.awaitComplete(
            config, JobRuns.submit(config, List.of(http.baseUrl() + "/gen/text")));
        String jobId = JobRuns.submit(config, urls);
        // Killed once it has counted part of the job, not all of it.
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> latest(config, jobId),
                result -> result.isPresent() && result.get().getUrlsCompleted() > 0);
        first.destroyForcibly().waitFor();
        assertThat(latest(config, jobId).orElseThrow().getComplete()).isFalse();

        startProcessor(config, "second.log");
        JobResult afterCrash = JobRuns.awaitComplete(config, jobId);

        assertThat(afterCrash.getUrlsSucceeded()).isEqualTo(urls.size());
        assertThat(afterCrash.getFields()).isEqualTo(reference.getFields());
        assertThat(afterCrash.getRows()).isEqualTo(reference.getRows());
        assertThat(afterCrash.getChunks()).isEqualTo(reference.getChunks());
      }
    }
  }

  private JobResult uninterrupted(List<String> urls) {
    FetchStatsConfig config = slowIngest(JobRuns.pipeline(BROKER, dataDir, "reference"));
    try (IngestService ingest = IngestService.start(config, BROKER.bootstrapServers(), metrics);
        ProcessorApp processor = ProcessorApp.start(config, BROKER.bootstrapServers(), metrics)) {
      return JobRuns.awaitComplete(config, JobRuns.submit(config, urls));
    }
  }

  /** Two fetches at a time: transactions of 8 URLs (4 rounds of 2), one after another. */
  private static FetchStatsConfig slowIngest(FetchStatsConfig config) {
    return config.toBuilder().fetchThreads(2).maxPerHost(2).build();
  }

  private static Optional<JobResult> latest(FetchStatsConfig config, String jobId) {
    try (ResultsReader reader = new ResultsReader(config, config.bootstrapServers(), jobId)) {
      return reader.latest();
    }
  }

  /** {@code fetchstats process} in a JVM of its own, on the same state directory every time. */
  private Process startProcessor(FetchStatsConfig config, String logName) throws IOException {
    Process process =
        ChildJvm.fetchstats(
            dataDir.resolve(logName),
            List.of(),
            "process",
            "--bootstrap-servers=" + BROKER.bootstrapServers(),
            "--topic-prefix=" + config.topicPrefix(),
            "--data-dir=" + config.dataDir(),
            "--instance-id=processor");
    children.add(process);
    return process;
  }
}
