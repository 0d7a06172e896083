package io.fetchstats.it;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.results.ResultsReader;
import io.fetchstats.submit.JobSubmitter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Pipelines of their own on the shared broker, for tests that compare whole job results. */
final class JobRuns {
  static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

  private JobRuns() {}

  /** A configuration with topics of its own (created), many small chunks and loopback allowed. */
  static FetchStatsConfig pipeline(SharedBroker broker, Path dataDir, String name) {
    FetchStatsConfig config =
        FetchStatsConfig.builder()
            .kafka(
                kafka ->
                    kafka
                        .bootstrapServers(broker.bootstrapServers())
                        .topicPrefix(
                            name + "-" + UUID.randomUUID().toString().substring(0, 8) + "."))
            .dataDir(dataDir.resolve(name))
            .fetch(
                fetch ->
                    fetch
                        .chunkBytes(4096) // many chunks, spread over the partitions
                        .allowPrivateNetworks(true))
            .instanceId(name + "-ingest")
            .build();
    try (TopicAdmin admin = new TopicAdmin(config)) {
      admin.createMissing(false);
    }
    return config;
  }

  /** Submits {@code urls} as a new job and returns its id. */
  static String submit(FetchStatsConfig config, List<String> urls) {
    String jobId = JobSubmitter.newJobId();
    JobSubmitter.submitOnce(config, jobId, urls);
    return jobId;
  }

  static JobResult awaitComplete(FetchStatsConfig config, String jobId) {
    try (ResultsReader reader = new ResultsReader(config, jobId)) {
      return reader
          .awaitComplete(JOB_TIMEOUT, result -> {})
          .filter(JobResult::getComplete)
          .orElseThrow(
              () -> new AssertionError("job " + jobId + " did not complete in " + JOB_TIMEOUT));
    }
  }
}
