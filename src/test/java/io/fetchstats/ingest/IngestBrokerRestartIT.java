package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.EmbeddedKafka;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.kafka.Topics;
import io.fetchstats.metrics.Metrics;
import io.fetchstats.parse.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage through a broker restart: the broker stops while URLs are fetched, so that their
 * outcomes cannot commit, and the abort or the rewind to the last commit times out too (after
 * max.block.ms, a second here). The stage keeps trying until the broker is back, then fetches what
 * was not committed again: every URL gets exactly one committed outcome.
 */
@Timeout(180)
class IngestBrokerRestartIT {
  private static final int URLS = 4;

  @TempDir Path dir;
  private final Metrics metrics = Metrics.inMemory();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger ingestLog = (Logger) LoggerFactory.getLogger(IngestService.class);
  private int port;
  private EmbeddedKafka broker;
  private FetchStatsConfig config;
  private Topics topics;

  @BeforeEach
  void startBroker() {
    port = EmbeddedKafka.anyFreePort();
    broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
    config =
        FetchStatsConfig.builder()
            .kafka(
                kafka ->
                    kafka
                        .bootstrapServers(broker.bootstrapServers())
                        .topicPrefix("restart.")
                        // The broker's absence shows in a second, not a minute.
                        .properties(Map.of("max.block.ms", "1000")))
            .dataDir(dir)
            .fetch(fetch -> fetch.threads(URLS))
            .instanceId("restart-test")
            .build();
    topics = Topics.of(config);
    try (TopicAdmin admin = new TopicAdmin(config)) {
      admin.createMissing(false);
    }
    logged.start();
    ingestLog.addAppender(logged);
  }

  @AfterEach
  void stopBroker() {
    ingestLog.detachAppender(logged);
    metrics.close();
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void whatCannotCommitWhileTheBrokerIsAwayIsFetchedAgainOnceItIsBack() {
    String urls =
        IntStream.range(0, URLS)
            .mapToObj(i -> "http://example.org/" + i + ".txt")
            .collect(Collectors.joining("\n"));
    send(topics.urls().name(), "job-restart", urls);
    HeldFetcher fetcher = new HeldFetcher();
    try (IngestService ingest = IngestService.start(config, fetcher, metrics)) {
      // The chunks are on the broker; the outcomes wait for the fetches to be let go.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> read(topics.chunks().name(), "read_uncommitted").size() == URLS);

      broker.close();
      broker = null;
      fetcher.release.countDown();
      // Committing fails, then aborting or rewinding times out: the stage gives up, or tries again.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !ingest.isRunning() || logged("(is Kafka away?)"));
      assertThat(ingest.isRunning()).as("ingest still running").isTrue();

      broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
      await().atMost(Duration.ofSeconds(90)).until(() -> outcomes().size() >= URLS);
      assertThat(ingest.isRunning()).isTrue();
    }

    List<FetchOutcome> outcomes = outcomes();
    assertThat(outcomes).hasSize(URLS);
    assertThat(outcomes).extracting(FetchOutcome::getUrl).doesNotHaveDuplicates();
    assertThat(fetcher.calls).hasValueGreaterThan(URLS); // what was aborted, fetched again
  }

  /** Gives every URL one chunk; holds the first fetches until the test lets them go. */
  private static final class HeldFetcher implements Fetcher {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public FetchResult fetch(String url, Format format, Chunker.Sink sink) {
      sink.chunk(0, Format.TEXT, null, "1 2\n".getBytes(StandardCharsets.UTF_8));
      calls.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new FetchResult(
          200, "http/1.1", null, null, "text/plain", Format.TEXT, 4, 1, "ab", 1, 1, false, null);
    }

    /** A stop lets the held fetches go. */
    @Override
    public void cancelAll() {
      release.countDown();
    }

    @Override
    public void close() {}
  }

  private boolean logged(String text) {
    return logged.list.stream().anyMatch(event -> event.getFormattedMessage().contains(text));
  }

  private void send(String topic, String key, String value) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.producer(config), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(
              topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The committed outcomes on the fetches topic. */
  private List<FetchOutcome> outcomes() {
    return read(topics.fetches().name(), "read_committed").stream()
        .map(record -> topics.fetches().decode(record.value()))
        .toList();
  }

  /** Everything on the topic that a consumer of this isolation level sees. */
  private List<ConsumerRecord<byte[], byte[]>> read(String topic, String isolation) {
    Properties properties = KafkaClients.waitedOnReader(config);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      KafkaClients.readToEnd(consumer, topic, records::add);
    }
    return records;
  }
}
