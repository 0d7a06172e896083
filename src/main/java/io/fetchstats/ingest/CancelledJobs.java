package io.fetchstats.ingest;

import io.fetchstats.avro.JobCancellation;
import io.fetchstats.config.DaemonThreads;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topic;
import io.fetchstats.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs cancelled so far, read from the cancellations topic by a thread of its own: every
 * partition, from the start, without a group, so every ingest instance knows every cancellation
 * (there are few: one small record a cancelled job, compacted).
 */
final class CancelledJobs implements AutoCloseable {
  // The stage's log, where its operators look.
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  private static final Duration POLL = Duration.ofMillis(200);

  /** How often a missing topic (a pipeline set up by an older version) is looked for again. */
  private static final Duration TOPIC_RETRY = Duration.ofSeconds(10);

  private final Topic<String, JobCancellation> topic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final Thread reader;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private Map<TopicPartition, Long> ends = Map.of(); // the topic's end at the start (reader's)
  private volatile boolean closing;

  /** Reads the cancellations of the pipeline {@code config} names, once {@link #start}ed. */
  CancelledJobs(FetchStatsConfig config) {
    this.topic = Topics.of(config).cancellations();
    Properties props = KafkaClients.readCommittedConsumer(config, null);
    // A missing topic is reported, not made with the broker's defaults (it is compacted).
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.reader = DaemonThreads.named("fetchstats-cancellations").newThread(this::read);
  }

  void start() {
    reader.start();
  }

  /** Whether job {@code jobId} was cancelled (as far as read: a moment behind the topic). */
  boolean isCancelled(String jobId) {
    return cancelled.contains(jobId);
  }

  private void read() {
    boolean assigned = false;
    try {
      while (!closing) {
        try {
          if (!assigned) {
            assigned = assigned();
            if (!assigned) {
              Thread.sleep(TOPIC_RETRY.toMillis());
            }
            continue;
          }
          for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            remember(record);
          }
          if (caughtUp.getCount() > 0
              && ends.entrySet().stream()
                  .allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
            caughtUp.countDown();
          }
        } catch (WakeupException e) {
          return;
        } catch (InterruptException e) { // Kafka's word for an interrupt: closing
          return;
        } catch (KafkaException e) {
          // Kafka away: the consumer reconnects by itself, and a failed lookup is tried again.
          log.warn("Reading {}: {}; trying again", topic.name(), e.toString());
          Thread.sleep(TOPIC_RETRY.toMillis());
        }
      }
    } catch (InterruptedException e) {
      // closing
    } finally {
      consumer.close(Duration.ZERO);
    }
  }

  /** Assigns every partition of the topic, from the start; false while the topic is missing. */
  private boolean assigned() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic.name()).stream()
            .map(info -> new TopicPartition(topic.name(), info.partition()))
            .toList();
    if (partitions.isEmpty()) {
      log.warn(
          "Topic {} is missing: cancelling a job needs it (fetchstats topics create); looking again"
              + " in {} s",
          topic.name(),
          TOPIC_RETRY.toSeconds());
      caughtUp.countDown(); // no cancellation to know of
      return false;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    ends = consumer.endOffsets(partitions);
    return true;
  }

  /**
   * Waits until the cancellations made before this start have been read (or the topic was found
   * missing), at most {@code timeout}: a restarted ingest would otherwise fetch, in its first
   * moments, the backlog of a job cancelled meanwhile.
   *
   * @return whether they have been read
   */
  boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void remember(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      return; // nothing un-cancels a job
    }
    try {
      String jobId = topic.decode(record.value()).getJobId();
      if (cancelled.add(jobId)) {
        log.info("Job {} is cancelled: its URLs not fetched yet will not be", jobId);
      }
    } catch (RuntimeException e) {
      log.warn("Skipping an unreadable record on {}: {}", topic.name(), e.getMessage());
    }
  }

  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    reader.interrupt();
    if (!reader.isAlive()) { // never started
      consumer.close(Duration.ZERO);
      return;
    }
    try {
      reader.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
