package io.fetchstats.it;

import static org.awaitility.Awaitility.await;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded KRaft broker (the app's own production class) for every test class that registers
 * this extension; started on first use, closed when the test run ends. Test classes isolate
 * themselves with their own topic prefix.
 */
public final class SharedBroker implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedBroker.class);

  private Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    running =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .computeIfAbsent("broker", key -> Running.start(), Running.class);
  }

  public String bootstrapServers() {
    return running.broker.bootstrapServers();
  }

  /** Sends one record of UTF-8 text and waits until it is written. */
  public void send(FetchStatsConfig config, Topic<String, String> topic, String key, String value) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.producer(config), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(topic.record(key, value));
    }
  }

  /**
   * Everything committed on the topic: read up to the end offsets, which read_committed caps at the
   * last stable offset.
   */
  public List<ConsumerRecord<byte[], byte[]>> readCommitted(FetchStatsConfig config, String topic) {
    return read(KafkaClients.readCommittedConsumer(config, null), topic);
  }

  /** Everything written to the topic, committed or not (to see what a transaction has sent). */
  public List<ConsumerRecord<byte[], byte[]>> readUncommitted(
      FetchStatsConfig config, String topic) {
    Properties properties = KafkaClients.readCommittedConsumer(config, null);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return read(properties, topic);
  }

  /**
   * Everything on {@code topic} up to its end offsets, read with a consumer of {@code properties}.
   */
  static List<ConsumerRecord<byte[], byte[]>> read(Properties properties, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
              });
    }
    return records;
  }

  /** The broker, its log under target/ (which the build cleans); closed at the end of the run. */
  private record Running(EmbeddedKafka broker) implements AutoCloseable {
    static Running start() {
      return new Running(
          EmbeddedKafka.start(
              Path.of("target", "test-kafka", UUID.randomUUID().toString()),
              EmbeddedKafka.anyFreePort()));
    }

    @Override
    public void close() {
      broker.close();
    }
  }
}
