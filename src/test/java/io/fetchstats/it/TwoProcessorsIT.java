package io.fetchstats.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.IngestService;
import io.fetchstats.metrics.Metrics;
import io.fetchstats.process.ProcessorApp;
import io.fetchstats.samples.SampleServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two processor instances sharing a job's work publish the same bits as one instance alone. */
@Timeout(180)
class TwoProcessorsIT {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();

  @TempDir Path dataDir;

  @Test
  void twoInstancesGiveTheBitsOfOne() {
    try (SampleServer http = SampleServer.start(Map.of())) {
      List<String> urls = new ArrayList<>();
      for (int seed = 0; seed < 4; seed++) {
        urls.add(http.baseUrl() + "/gen/csv?bytes=200000&seed=" + seed);
        urls.add(http.baseUrl() + "/gen/text?bytes=100000&seed=" + seed);
        urls.add(http.baseUrl() + "/gen/json?bytes=100000&seed=" + seed);
        urls.add(http.baseUrl() + "/gen/tsv?bytes=100000&seed=" + seed);
      }

      JobResult alone = run(urls, "one", List.of("a"));
      JobResult shared = run(urls, "two", List.of("b1", "b2"));

      assertThat(alone.getComplete()).isTrue();
      assertThat(alone.getUrlsSucceeded()).isEqualTo(urls.size());
      assertThat(alone.getFields())
          .extracting(io.fetchstats.avro.FieldResult::getName)
          .contains("id", "value", "score", "[].value");
      assertThat(shared.getFields()).isEqualTo(alone.getFields());
      assertThat(shared.getRows()).isEqualTo(alone.getRows());
      assertThat(shared.getChunks()).isEqualTo(alone.getChunks());
      assertThat(shared.getBytes()).isEqualTo(alone.getBytes());
    }
  }

  /** The job's result on a pipeline of its own with one processor per instance id. */
  private JobResult run(List<String> urls, String name, List<String> processors) {
    // One stream thread each, so that the second instance gets tasks of its own.
    FetchStatsConfig config =
        JobRuns.pipeline(BROKER, dataDir, name).toBuilder()
            .processing(processing -> processing.withStreamThreads(1))
            .build();
    List<AutoCloseable> stages = new ArrayList<>();
    Metrics metrics = Metrics.inMemory();
    stages.add(metrics);
    try {
      stages.add(IngestService.start(config, metrics));
      for (String instance : processors) {
        stages.add(ProcessorApp.start(config.withInstanceId(instance), metrics));
      }
      return JobRuns.awaitComplete(config, JobRuns.submit(config, urls));
    } finally {
      for (AutoCloseable stage : stages) {
        try {
          stage.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
