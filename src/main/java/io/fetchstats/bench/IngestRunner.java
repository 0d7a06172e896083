package io.fetchstats.bench;

import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.ingest.IngestService;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topic;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.kafka.Topics;
import io.fetchstats.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real ingest stage on a broker, fed URL lists as jobs: each list is timed from its submission
 * until the last of its outcomes is committed, as a read_committed reader of the fetches topic sees
 * it.
 */
final class IngestRunner implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final FetchStatsConfig config;
  private final Metrics metrics;
  private final IngestService ingest;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> outcomes;
  private final List<TopicPartition> partitions;
  private final Topic<String, FetchOutcome> fetches;
  private int jobs;

  private IngestRunner(
      FetchStatsConfig config,
      KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<byte[], byte[]> outcomes,
      List<TopicPartition> partitions,
      Metrics metrics,
      IngestService ingest) {
    this.config = config;
    this.metrics = metrics;
    this.producer = producer;
    this.outcomes = outcomes;
    this.partitions = partitions;
    this.ingest = ingest;
    this.fetches = Topics.of(config).fetches();
  }

  /** Creates the topics if missing and starts the ingest stage with {@code config}. */
  static IngestRunner start(FetchStatsConfig config) {
    try (TopicAdmin admin = new TopicAdmin(config)) {
      admin.createMissing(false);
    }
    Properties producerProps = KafkaClients.producer(config);
    // One record a job: nothing to batch, so no reason to wait before sending it.
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // The stage counts its fetches as in production; nothing reads them here.
    Metrics metrics = Metrics.inMemory();
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    KafkaConsumer<byte[], byte[]> outcomes =
        new KafkaConsumer<>(
            KafkaClients.readCommittedConsumer(config, null),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions =
          outcomes.partitionsFor(Topics.of(config).fetches().name()).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      outcomes.assign(partitions);
      return new IngestRunner(
          config, producer, outcomes, partitions, metrics, IngestService.start(config, metrics));
    } catch (RuntimeException e) {
      metrics.close();
      producer.close(Duration.ZERO);
      outcomes.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Submits {@code urls} as one job (a plain-text record, one URL a line) and waits until each has
   * its committed outcome; returns the nanoseconds from the submission to the last outcome. The
   * URLs must be distinct (the stage fetches a URL listed again in a job once) and must all
   * succeed.
   */
  long fetchAll(List<String> urls) {
    String jobId = "bench-" + ++jobs;
    ProducerRecord<byte[], byte[]> job =
        Topics.of(config).urlText().record(jobId, String.join("\n", urls));
    String prefix = jobId + "|";
    // Resolved now, before the job exists, so that none of its outcomes is skipped.
    outcomes.seekToEnd(partitions);
    partitions.forEach(outcomes::position);

    long start = System.nanoTime();
    producer.send(job);
    producer.flush();
    int seen = 0;
    long deadline = start + TIMEOUT.toNanos();
    while (seen < urls.size()) {
      if (!ingest.isRunning() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "ingest "
                + (ingest.isRunning() ? "timed out" : "stopped")
                + " after "
                + seen
                + " of "
                + urls.size()
                + " outcomes of "
                + jobId);
      }
      for (ConsumerRecord<byte[], byte[]> record : outcomes.poll(POLL)) {
        if (new String(record.key(), StandardCharsets.UTF_8).startsWith(prefix)) {
          check(fetches.decode(record.value()));
          seen++;
        }
      }
    }
    return System.nanoTime() - start;
  }

  private static void check(FetchOutcome outcome) {
    if (!outcome.getOk() || outcome.getDuplicateOf() != null) {
      throw new IllegalStateException(
          "a fetch failed during the benchmark: "
              + outcome.getUrl()
              + ": "
              + (outcome.getOk()
                  ? "listed twice"
                  : outcome.getErrorClass() + " " + outcome.getError()));
    }
  }

  @Override
  public void close() {
    ingest.close();
    producer.close(Duration.ofSeconds(10));
    outcomes.close(Duration.ofSeconds(10));
    metrics.close();
  }
}
