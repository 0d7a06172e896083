package io.fetchstats.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchstats.config.FetchStatsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void keepsItsDataAcrossARestartOnTheSameDirectory() throws Exception {
    FetchStatsConfig config = FetchStatsConfig.builder().dataDir(dir).partitions(2).build();
    String topic = config.topics().jobs();

    try (EmbeddedKafka broker = EmbeddedKafka.start(dir)) {
      try (TopicAdmin admin = new TopicAdmin(config, broker.bootstrapServers())) {
        assertThat(admin.createMissing()).hasSize(config.topics().definitions().size());
      }
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              KafkaClients.producer(config, broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>(topic, "job-1", "kept")).get();
      }
    }

    try (EmbeddedKafka restarted = EmbeddedKafka.start(dir)) {
      try (TopicAdmin admin = new TopicAdmin(config, restarted.bootstrapServers())) {
        assertThat(admin.createMissing()).isEmpty();
        assertThat(admin.describe().get(topic).partitions()).hasSize(2);
      }
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              KafkaClients.readCommittedConsumer(
                  config, restarted.bootstrapServers(), "restart-test"),
              new StringDeserializer(),
              new StringDeserializer())) {
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                  return !records.isEmpty();
                });
        assertThat(records).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo("kept"));
      }
    }
  }
}
