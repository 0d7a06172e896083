package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchstats.avro.JobCancellation;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.it.SharedBroker;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ingest knows of cancelled jobs, read from the cancellations topic: those cancelled before it
 * started, known once it has caught up (before it fetches anything), and those cancelled while it
 * runs, a moment later.
 */
@Timeout(60)
class CancelledJobsIT {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();

  @TempDir Path dataDir;

  private FetchStatsConfig config(String prefix) {
    return FetchStatsConfig.builder()
        .kafka(kafka -> kafka.bootstrapServers(BROKER.bootstrapServers()).topicPrefix(prefix))
        .dataDir(dataDir)
        .build();
  }

  @Test
  void cancellationsBeforeTheStartAreKnownOnceCaughtUpAndLaterOnesSoonAfter() throws Exception {
    FetchStatsConfig config =
        config("cancel-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    Topics topics = Topics.of(config);
    try (TopicAdmin admin = new TopicAdmin(config)) {
      admin.createMissing(false);
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.producer(config), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(cancellation(topics, "before")).get();

      try (CancelledJobs cancelled = new CancelledJobs(config)) {
        cancelled.start();
        assertThat(cancelled.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(cancelled.isCancelled("before")).isTrue();
        assertThat(cancelled.isCancelled("after")).isFalse();

        producer.send(cancellation(topics, "after")).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> cancelled.isCancelled("after"));
        assertThat(cancelled.isCancelled("other")).isFalse();
      }
    }
  }

  @Test
  void aMissingTopicCountsAsCaughtUpWithNothingCancelled() throws Exception {
    FetchStatsConfig config = config("none-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    try (CancelledJobs cancelled = new CancelledJobs(config)) {
      cancelled.start();
      assertThat(cancelled.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      assertThat(cancelled.isCancelled("any")).isFalse();
    }
  }

  private static ProducerRecord<byte[], byte[]> cancellation(Topics topics, String jobId) {
    return topics.cancellations().record(jobId, new JobCancellation(jobId, Instant.now()));
  }
}
