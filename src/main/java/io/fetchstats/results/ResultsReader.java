package io.fetchstats.results;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a job's results from the job-results topic (read-committed). The topic is keyed by job id,
 * so only the partition that holds the job is read.
 */
public final class ResultsReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultsReader.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroSerde<JobResult> serde = AvroSerde.of(JobResult.class);

  public ResultsReader(FetchStatsConfig config, String bootstrapServers) {
    this.topic = config.topics().jobResults();
    Properties props = KafkaClients.readCommittedConsumer(config, bootstrapServers, null);
    // A person is waiting: fail within seconds when Kafka cannot be reached.
    props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The job's latest result, or empty if the topic holds none (yet). */
  public Optional<JobResult> latest(String jobId) {
    TopicPartition partition = assign(jobId);
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    JobResult latest = null;
    while (consumer.position(partition) < end) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        latest = decodeIfJob(record, jobId, latest);
      }
    }
    return Optional.ofNullable(latest);
  }

  /**
   * Follows the job's results until one says it is complete, calling {@code onUpdate} for each
   * newer result; empty if the deadline passes first.
   */
  public Optional<JobResult> awaitComplete(
      String jobId, Duration timeout, Consumer<JobResult> onUpdate) {
    Instant deadline = Instant.now().plus(timeout);
    Optional<JobResult> latest = latest(jobId);
    latest.ifPresent(onUpdate);
    while (latest.map(result -> !result.getComplete()).orElse(true)
        && Instant.now().isBefore(deadline)) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        JobResult result = decodeIfJob(record, jobId, null);
        if (result != null) {
          latest = Optional.of(result);
          onUpdate.accept(result);
        }
      }
    }
    return latest.filter(JobResult::getComplete);
  }

  private TopicPartition assign(String jobId) {
    List<PartitionInfo> partitions = consumer.listTopics().get(topic);
    if (partitions == null) {
      throw new IllegalStateException(
          "topic " + topic + " does not exist: is the pipeline set up?");
    }
    byte[] key = jobId.getBytes(StandardCharsets.UTF_8);
    // The producer's default partitioner: murmur2 of the key bytes.
    TopicPartition partition =
        new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions.size());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    return partition;
  }

  private JobResult decodeIfJob(
      ConsumerRecord<byte[], byte[]> record, String jobId, JobResult otherwise) {
    if (record.key() == null
        || !jobId.equals(new String(record.key(), StandardCharsets.UTF_8))
        || record.value() == null) {
      return otherwise;
    }
    try {
      return serde.decode(record.value());
    } catch (SerializationException e) {
      log.warn(
          "Skipping an unreadable result at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return otherwise;
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
