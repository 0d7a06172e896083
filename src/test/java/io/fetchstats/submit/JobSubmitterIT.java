package io.fetchstats.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.Keys;
import io.fetchstats.it.SharedBroker;
import io.fetchstats.kafka.KeyReader;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.kafka.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class JobSubmitterIT {
  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();

  @TempDir Path dataDir;

  private FetchStatsConfig config() {
    return FetchStatsConfig.builder()
        .kafka(
            kafka ->
                kafka
                    .bootstrapServers(BROKER.bootstrapServers())
                    .topicPrefix("submit-" + UUID.randomUUID().toString().substring(0, 8) + ".")
                    .partitions(1))
        .dataDir(dataDir)
        .build();
  }

  /**
   * A submission that fails midway (its manifest sent, its URLs' topic missing) is aborted: the
   * next one is readable at once, not after the broker times the first one out a minute later.
   */
  @Test
  void aFailedSubmissionIsAbortedAndTheNextIsReadableAtOnce() throws Exception {
    FetchStatsConfig config = config();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(Topics.of(config).jobs().name(), 1, (short) 1)))
          .all()
          .get();
    }
    try (JobSubmitter submitter = new JobSubmitter(config, Clock.systemUTC())) {
      assertThatThrownBy(() -> submitter.submit("first", List.of("http://example.org/a")))
          .isInstanceOf(KafkaException.class);
      try (TopicAdmin topics = new TopicAdmin(config)) {
        topics.createMissing(false);
      }
      submitter.submit("second", List.of("http://example.org/b"));

      try (KeyReader second = new KeyReader(config, Topics.of(config).jobs(), "second");
          KeyReader first = new KeyReader(config, Topics.of(config).jobs(), "first")) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.readToEnd().isEmpty());
        assertThat(first.readToEnd()).as("the aborted manifest").isEmpty();
      }
    }
  }

  @Test
  void aUrlTooLongIsRefusedBeforeAnythingIsSent() {
    try (JobSubmitter submitter = new JobSubmitter(config(), Clock.systemUTC())) {
      String url = "http://example.org/" + "a".repeat(Keys.MAX_URL_LENGTH);
      assertThatThrownBy(() -> submitter.submit("long", List.of("# a comment", url)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("line 2 is longer than " + Keys.MAX_URL_LENGTH);
    }
  }
}
