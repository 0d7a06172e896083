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
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage's member of the urls topic's consumer group: it knows the committed offset (with
 * the progress to resume at) of each partition it is assigned, tells when a rebalance took
 * partitions away, leaves records in Kafka while the stage has enough to do, stays in the group
 * while an abort waits for fetches, and goes back to the last commit after an abort. The ingest
 * loop's thread alone uses it, but for {@link #wakeup}.
 */
final class UrlsConsumer {
  /**
   * While fetches are awaited: wait this long for their end (which ends the wait at once), then
   * poll the group this long (which does not): their end is seen at most one poll late.
   */
  private static final Duration FETCHES_WAIT = Duration.ofMillis(45);

  private static final Duration GROUP_POLL = Duration.ofMillis(5);

  private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(5);

  // The stage's log, where its operators look.
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  private final Consumer<byte[], byte[]> consumer;

  /** Committed offsets of the assigned partitions, with the progress to resume at. */
  private final Map<TopicPartition, OffsetAndMetadata> resumePoints = new HashMap<>();

  /** Set when a rebalance takes partitions away, until {@link #revoked} tells it. */
  private boolean revoked;

  UrlsConsumer(Consumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  /**
   * A consumer with {@code properties} (a read-committed group member's) and its ingest settings.
   */
  static UrlsConsumer create(Properties properties, String clientId, int maxPollRecords) {
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    // Records are polled as the stage has room for their URLs: a poll need not bring more.
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords));
    // The loop polls every few milliseconds, even while it fetches.
    KafkaClients.shortSession(properties);
    return new UrlsConsumer(
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  void subscribe(String topic) {
    consumer.subscribe(List.of(topic), new BatchGuard());
  }

  /**
   * Polls the group, and records only if {@code wantMore}: otherwise the partitions are paused, and
   * their records wait in Kafka.
   */
  ConsumerRecords<byte[], byte[]> poll(Duration timeout, boolean wantMore) {
    if (wantMore) {
      consumer.resume(consumer.paused());
      return consumer.poll(timeout);
    }
    consumer.pause(consumer.assignment());
    pollPaused(timeout);
    return ConsumerRecords.empty();
  }

  /** The committed offset of {@code partition}, with the progress to resume at, or null. */
  OffsetAndMetadata committed(TopicPartition partition) {
    return resumePoints.get(partition);
  }

  /** Whether a rebalance took partitions away since this was last asked. */
  boolean revoked() {
    boolean was = revoked;
    revoked = false;
    return was;
  }

  /** What a transaction needs to commit offsets for this group. */
  ConsumerGroupMetadata groupMetadata() {
    return consumer.groupMetadata();
  }

  /**
   * Waits for {@code fetches}. Meanwhile it keeps polling, with every partition paused, so that
   * slow fetches do not exceed {@code max.poll.interval.ms} and cost this consumer its place in the
   * group.
   */
  void awaitWhileStayingInTheGroup(CompletableFuture<Void> fetches) {
    CountDownLatch done = new CountDownLatch(1);
    fetches.whenComplete((ignored, error) -> done.countDown());
    consumer.pause(consumer.assignment());
    try {
      while (!done.await(FETCHES_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        pollPaused(GROUP_POLL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
    fetches.join();
  }

  /** Polls with every partition paused; those a rebalance assigned meanwhile are paused too. */
  private void pollPaused(Duration timeout) {
    ConsumerRecords<byte[], byte[]> early = consumer.poll(timeout);
    for (TopicPartition partition : early.partitions()) {
      consumer.seek(partition, early.records(partition).get(0).offset());
      consumer.pause(List.of(partition));
    }
  }

  /**
   * Goes back to the last committed offsets, so that what was aborted is read again. While Kafka is
   * away it keeps trying; {@link #wakeup} ends the tries.
   */
  void rewind() {
    while (true) {
      try {
        loadResumePoints(consumer.assignment());
        break;
      } catch (TimeoutException e) {
        log.warn("Reading the committed offsets timed out (is Kafka away?); trying again");
      }
    }
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
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(partitions, COMMITTED_TIMEOUT);
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset == null) {
        resumePoints.remove(partition);
      } else {
        resumePoints.put(partition, offset);
      }
    }
  }

  /** Notes when a rebalance takes partitions away: what is not committed must be aborted. */
  private final class BatchGuard implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      revoked |= !partitions.isEmpty();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      loadResumePoints(new HashSet<>(partitions));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      revoked |= !partitions.isEmpty();
    }
  }
}
