package io.fetchstats.kafka;

import io.fetchstats.config.FetchStatsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads the values of one key from a topic keyed by it (read-committed), from the start: only the
 * partition the producers' default partitioner puts the key in is read.
 */
public final class KeyReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  private final byte[] key;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;

  public KeyReader(FetchStatsConfig config, Topic<String, ?> topic, String key) {
    String name = topic.name();
    this.key = topic.keys().serializer().serialize(name, key);
    this.consumer =
        new KafkaConsumer<>(
            KafkaClients.waitedOnReader(config),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    try {
      List<PartitionInfo> partitions = KafkaClients.partitionsOf(consumer, name);
      this.partition =
          new TopicPartition(name, Utils.toPositive(Utils.murmur2(this.key)) % partitions.size());
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
    } catch (RuntimeException e) {
      consumer.close(Duration.ofSeconds(5));
      throw e;
    }
  }

  /**
   * The key's values from where this reader stands up to the current end of the partition.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if the end is not reached within {@link
   *     KafkaClients#READ_TO_END_TIMEOUT} (the broker went away midway)
   */
  public List<byte[]> readToEnd() {
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    long deadline = System.nanoTime() + KafkaClients.READ_TO_END_TIMEOUT.toNanos();
    List<byte[]> values = new ArrayList<>();
    while (consumer.position(partition) < end) {
      KafkaClients.requireBefore(deadline, partition.toString());
      values.addAll(poll());
    }
    return values;
  }

  /** The key's values that arrive within one poll. */
  public List<byte[]> poll() {
    List<byte[]> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
      if (record.value() != null && Arrays.equals(record.key(), key)) {
        values.add(record.value());
      }
    }
    return values;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
