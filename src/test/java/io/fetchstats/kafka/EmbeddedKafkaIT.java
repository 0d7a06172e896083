package io.fetchstats.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fetchstats.config.FetchStatsConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void keepsItsDataAndAddressAcrossARestartOnTheSameDirectory() throws Exception {
    FetchStatsConfig config;
    String address;
    String topic;

    try (EmbeddedKafka broker = EmbeddedKafka.start(dir, EmbeddedKafka.anyFreePort())) {
      address = broker.bootstrapServers();
      config =
          FetchStatsConfig.builder()
              .dataDir(dir)
              .kafka(kafka -> kafka.bootstrapServers(address).partitions(2))
              .build();
      topic = Topics.of(config).jobs().name();
      try (TopicAdmin admin = new TopicAdmin(config)) {
        assertThat(admin.createMissing(false)).hasSize(Topics.of(config).definitions().size());
      }
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              KafkaClients.producer(config), new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>(topic, "job-1", "kept")).get();
      }
    }

    // Without a port it takes the one it had: an exported address stays right.
    try (EmbeddedKafka restarted = EmbeddedKafka.start(dir, 0)) {
      assertThat(restarted.bootstrapServers()).isEqualTo(address);
      try (TopicAdmin admin = new TopicAdmin(config)) {
        assertThat(admin.createMissing(false)).isEmpty();
        assertThat(admin.describe().get(topic).partitions()).hasSize(2);
      }
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              KafkaClients.readCommittedConsumer(config, "restart-test"),
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

  @Test
  @Timeout(60)
  void aSecondBrokerOnTheDataDirIsRefusedBeforeItTouchesAnything() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir, EmbeddedKafka.anyFreePort())) {
      long before = Files.walk(dir).count();

      assertThatThrownBy(() -> EmbeddedKafka.claim(dir, EmbeddedKafka.anyFreePort()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "data dir "
                  + dir
                  + " is in use by process "
                  + ProcessHandle.current().pid()
                  + " (this one); stop that one first, or give this one another --data-dir");
      assertThat(Files.walk(dir).count()).isEqualTo(before);
      try (TopicAdmin admin =
          new TopicAdmin(
              FetchStatsConfig.builder()
                  .kafka(kafka -> kafka.bootstrapServers(broker.bootstrapServers()))
                  .build())) {
        admin.requireReachable();
      }
    }
    // Released with the broker.
    EmbeddedKafka.claim(dir, EmbeddedKafka.anyFreePort()).close();
  }

  /**
   * A pipeline made by an earlier version lacks a topic a later one adds (cancellations): it is
   * made with the partitions of the pipeline's topics, whatever this host would give a new
   * pipeline, or the processor's repartition topics would no longer match its sources.
   */
  @Test
  void aTopicAddedToAnExistingPipelineGetsItsPartitions() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir, EmbeddedKafka.anyFreePort())) {
      FetchStatsConfig earlier =
          FetchStatsConfig.builder()
              .dataDir(dir)
              .kafka(kafka -> kafka.bootstrapServers(broker.bootstrapServers()).partitions(2))
              .build();
      String added = Topics.of(earlier).cancellations().name();
      try (TopicAdmin admin = new TopicAdmin(earlier);
          Admin raw = Admin.create(KafkaClients.common(earlier))) {
        admin.createMissing(false);
        raw.deleteTopics(List.of(added)).all().get();
        await().atMost(Duration.ofSeconds(30)).until(() -> !admin.describe().containsKey(added));
      }

      FetchStatsConfig later = earlier.toBuilder().kafka(kafka -> kafka.partitions(5)).build();
      try (TopicAdmin admin = new TopicAdmin(later)) {
        assertThat(admin.createMissing(false)).containsExactly(added);
        assertThat(admin.describe().get(added).partitions()).hasSize(2);
      }
    }
  }

  @Test
  void aTakenPortIsRefusedWithWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> EmbeddedKafka.claim(dir, taken.getLocalPort()))
          .hasMessage(
              "the embedded broker's port "
                  + taken.getLocalPort()
                  + " is taken by another program; stop it, or set --broker-port");
      Files.writeString(dir.resolve("broker-port"), taken.getLocalPort() + "\n");
      assertThatThrownBy(() -> EmbeddedKafka.claim(dir, 0))
          .hasMessageContaining("(remembered in " + dir.resolve("broker-port") + ")");
    }
    // The lock went with the refusal.
    EmbeddedKafka.claim(dir, EmbeddedKafka.anyFreePort()).close();
  }
}
