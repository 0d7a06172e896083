package io.fetchstats.ingest;

import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.metrics.Metrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ingest stage's member of the urls topic's consumer group: it knows the committed offset (with
 * the line to resume at) of each partition it is assigned, tells when a rebalance took partitions
 * away from the batch in flight, stays in the group while a batch is fetched, and goes back to the
 * last commit after an abort. The ingest loop's thread alone uses it, but for {@link #wakeup}.
 */
final class UrlsConsumer {
  /**
   * While a batch is fetched: wait this long for its end (which ends the wait at once), then poll
   * the group this long (which does not): the batch's end is seen at most one poll late.
   */
  private static final Duration BATCH_WAIT = Duration.ofMillis(45);

  private static final Duration GROUP_POLL = Duration.ofMillis(5);

  private final Consumer<byte[], byte[]> consumer;

  /** Committed offsets of the assigned partitions, with the line to resume at. */
  private final Map<TopicPartition, OffsetAndMetadata> resumePoints = new HashMap<>();

  /** Set when a rebalance takes partitions away while a batch is in flight. */
  private boolean batchRevoked;

  UrlsConsumer(Consumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  /**
   * A consumer with {@code properties} (a read-committed group member's) and its ingest settings.
   */
  static UrlsConsumer create(Properties properties, String clientId, int maxPollRecords) {
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    // A batch is fetched before the next poll: a poll need not bring more than one.
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords));
    // The loop polls every 50 ms, even while it fetches.
    KafkaClients.shortSession(properties);
    return new UrlsConsumer(
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  void subscribe(String topic) {
    consumer.subscribe(List.of(topic), new BatchGuard());
  }

  ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    return consumer.poll(timeout);
  }

  /** The committed offset of {@code record}'s partition, with the line to resume at, or null. */
  OffsetAndMetadata committed(ConsumerRecord<byte[], byte[]> record) {
    return resumePoints.get(new TopicPartition(record.topic(), record.partition()));
  }

  /** A batch begins: only a rebalance from now on takes partitions away from it. */
  void beginBatch() {
    batchRevoked = false;
  }

  /** Whether a rebalance took partitions away since the batch began. */
  boolean batchRevoked() {
    return batchRevoked;
  }

  /** What a transaction needs to commit offsets for this group. */
  ConsumerGroupMetadata groupMetadata() {
    return consumer.groupMetadata();
  }

  /**
   * Waits for the batch's fetches. Meanwhile it keeps polling, with every partition paused, so that
   * slow fetches do not exceed {@code max.poll.interval.ms} and cost this consumer its place in the
   * group (and the batch its offsets).
   */
  void awaitWhileStayingInTheGroup(CompletableFuture<Void> fetches) {
    CountDownLatch done = new CountDownLatch(1);
    fetches.whenComplete((ignored, error) -> done.countDown());
    consumer.pause(consumer.assignment());
    try {
      while (!done.await(BATCH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        ConsumerRecords<byte[], byte[]> early = consumer.poll(GROUP_POLL);
        // Partitions a rebalance assigned meanwhile are not paused: their records wait.
        for (TopicPartition partition : early.partitions()) {
          consumer.seek(partition, early.records(partition).get(0).offset());
          consumer.pause(List.of(partition));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    } finally {
      consumer.resume(consumer.assignment());
    }
    fetches.join();
  }

  /** Goes back to the last committed offsets, so an aborted batch is read again. */
  void rewind() {
    loadResumePoints(consumer.assignment());
    for (TopicPartition partition : consumer.assignment()) {
      OffsetAndMetadata offset = resumePoints.get(partition);
      if (offset == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, offset.offset());
      }
    }
  }

  /** Ends a poll in progress, or the next one, with a WakeupException: any thread may call it. */
  void wakeup() {
    consumer.wakeup();
  }

  Metrics.Binding bind(Metrics metrics, String client) {
    return metrics.bind(consumer, client);
  }

  void close(Duration timeout) {
    consumer.close(timeout);
  }

  /** Reads the committed offsets (and resume points) of {@code partitions}. */
  private void loadResumePoints(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset == null) {
        resumePoints.remove(partition);
      } else {
        resumePoints.put(partition, offset);
      }
    }
  }

  /** Marks the batch in flight as void when a rebalance takes partitions away. */
  private final class BatchGuard implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      batchRevoked |= !partitions.isEmpty();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      loadResumePoints(new HashSet<>(partitions));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      batchRevoked |= !partitions.isEmpty();
    }
  }
}
