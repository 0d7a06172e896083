package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.UrlRequest;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.it.SharedBroker;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.TopicAdmin;
import io.fetchstats.kafka.Topics;
import io.fetchstats.metrics.Metrics;
import io.fetchstats.parse.Format;
import io.fetchstats.samples.SampleServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ingest stage's transactions on a real broker, with a fetcher that the test controls. */
@Timeout(120)
class IngestServiceIT {
  private final Metrics metrics = Metrics.inMemory();

  @AfterEach
  void closeMetrics() {
    metrics.close();
  }

  @RegisterExtension static final SharedBroker BROKER = new SharedBroker();
  private static final int URLS = 5;

  @TempDir Path dataDir;
  private FetchStatsConfig config;
  private Topics topics;

  @BeforeEach
  void createTopics() {
    config =
        FetchStatsConfig.builder()
            .kafka(
                kafka ->
                    kafka
                        .bootstrapServers(BROKER.bootstrapServers())
                        .topicPrefix(
                            "ingest-" + UUID.randomUUID().toString().substring(0, 8) + "."))
            .dataDir(dataDir)
            .fetch(fetch -> fetch.threads(URLS))
            .instanceId("ingest-test")
            .build();
    topics = Topics.of(config);
    try (TopicAdmin admin = new TopicAdmin(config)) {
      admin.createMissing(false);
    }
  }

  /** Gives every URL two chunks; can hold fetches until the test lets them go. */
  private static final class ScriptedFetcher implements Fetcher {
    final AtomicInteger calls = new AtomicInteger();
    final List<String> urls = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> formats = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    private final Predicate<String> holdIf;

    ScriptedFetcher(boolean hold) {
      this(url -> hold);
    }

    ScriptedFetcher(Predicate<String> holdIf) {
      this.holdIf = holdIf;
    }

    @Override
    public FetchResult fetch(String url, Format format, Chunker.Sink sink) {
      sink.chunk(0, Format.TEXT, null, "1 2\n".getBytes(StandardCharsets.UTF_8));
      sink.chunk(1, Format.TEXT, null, "3\n".getBytes(StandardCharsets.UTF_8));
      urls.add(url);
      formats.add(String.valueOf(format));
      calls.incrementAndGet();
      try {
        if (holdIf.test(url)) {
          release.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new FetchResult(
          200, "http/1.1", null, null, "text/plain", Format.TEXT, 6, 2, "ab", 1, 1, false, null);
    }

    /** Held fetches end at once. */
    @Override
    public void cancelAll() {
      release.countDown();
    }

    @Override
    public void close() {}
  }

  @Test
  void fetchesCutShortByAStopAreFetchedOnceByTheNextInstance() throws Exception {
    submitPlainText("job-1", URLS);
    ScriptedFetcher held = new ScriptedFetcher(true);
    IngestService first = IngestService.start(config, held, metrics);
    await().atMost(Duration.ofSeconds(60)).until(() -> held.calls.get() == URLS);

    Thread stopping = new Thread(first::close);
    stopping.start();
    // Let the fetches end only once the stop is asked for, so that the stop cuts them short.
    await().atMost(Duration.ofSeconds(10)).until(first::stopRequested);
    held.release.countDown();
    stopping.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(stopping.isAlive()).isFalse();
    assertThat(outcomes()).isEmpty();

    ScriptedFetcher free = new ScriptedFetcher(false);
    try (IngestService second = IngestService.start(config, free, metrics)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> outcomes().size() >= URLS);
    }
    List<FetchOutcome> outcomes = outcomes();
    assertThat(outcomes).hasSize(URLS);
    assertThat(outcomes.stream().map(FetchOutcome::getRequestId).distinct()).hasSize(URLS);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.getChunkCount()).isEqualTo(2));
    // The chunks the first instance committed of its fetches are under fetch ids no outcome names.
    Set<Long> counted = outcomes.stream().map(FetchOutcome::getFetchId).collect(Collectors.toSet());
    assertThat(
            readCommitted(topics.chunks().name()).stream()
                .map(r -> topics.chunks().decode(r.value()).getFetchId())
                .filter(counted::contains))
        .hasSize(2 * URLS);
    assertThat(free.calls.get()).isEqualTo(URLS);
  }

  @Test
  void closeCancelsAHangingFetchWithoutHoldingBackTheOthersAndTheNextStartFetchesItAgain()
      throws Exception {
    // Without the cancel, the stop would wait for the request timeout.
    config =
        config.toBuilder()
            .fetch(fetch -> fetch.allowPrivateNetworks(true).requestTimeout(Duration.ofMinutes(2)))
            .build();
    try (SampleServer hanging = SampleServer.start(Map.of());
        SampleServer answering = SampleServer.start(Map.of())) {
      // Hangs the first time only: fetched again, it answers.
      String hangs = hanging.baseUrl() + "/gen/text?bytes=300&seed=1&fault=hang&failures=1";
      String answers = answering.baseUrl() + "/gen/text?bytes=300&seed=2";
      submitLines("job-stop", hangs + "\n" + answers + "\n");
      IngestService first = IngestService.start(config, metrics);
      // One URL's outcome is committed as soon as it is fetched; the other's request hangs.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  hanging.maxConcurrentRequests() == 1
                      && readCommitted(topics.fetches().name()).size() == 1);

      long start = System.nanoTime();
      first.close();
      Duration stopping = Duration.ofNanos(System.nanoTime() - start);

      // Generous for a shared machine: what matters is that it does not wait for the fetch.
      assertThat(stopping).isLessThan(config.stopTimeout().plusSeconds(10));
      assertThat(first.isRunning()).isFalse();
      assertThat(outcomes()).extracting(FetchOutcome::getUrl).containsExactly(answers);
      // The client hung up: the server counts a hanging request once its connection closes.
      await().atMost(Duration.ofSeconds(10)).until(() -> hanging.requests() == 1);

      try (IngestService second = IngestService.start(config, metrics)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomes().size() >= 2);
      }
      assertThat(outcomes())
          .allSatisfy(outcome -> assertThat(outcome.getOk()).isTrue())
          .extracting(FetchOutcome::getUrl)
          .containsExactlyInAnyOrder(hangs, answers);
      assertThat(hanging.requests()).isEqualTo(2);
    }
  }

  @Test
  void theFormatARequestNamesReachesTheFetcher() {
    AvroSerde<UrlRequest> requests = AvroSerde.of(UrlRequest.class);
    BROKER.send(config, topics.urlText(), "job-f", "http://example.org/plain.txt");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.producer(config), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(
              topics.urls().name(),
              "job-f".getBytes(StandardCharsets.UTF_8),
              requests.encode(new UrlRequest("job-f", "http://example.org/export", "ndjson"))));
    }
    ScriptedFetcher fetcher = new ScriptedFetcher(false);
    try (IngestService ingest = IngestService.start(config, fetcher, metrics)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> outcomes().size() >= 2);
    }

    assertThat(fetcher.formats).containsExactlyInAnyOrder("null", "NDJSON");
  }

  @Test
  void aDuplicateNeverNamesAFirstFetchOfAnAbortedTransaction() {
    submitLines("job-abort", "http://example.org/a.txt\nhttp://example.org/a.txt\n");
    AtomicInteger calls = new AtomicInteger();
    ScriptedFetcher fine = new ScriptedFetcher(false);
    Fetcher troubledOnce =
        new Fetcher() {
          @Override
          public FetchResult fetch(String url, Format format, Chunker.Sink sink) {
            if (calls.incrementAndGet() == 1) {
              throw new PublishException(new IllegalStateException("Kafka trouble"));
            }
            return fine.fetch(url, format, sink);
          }

          @Override
          public void cancelAll() {}

          @Override
          public void close() {}
        };
    try (IngestService ingest = IngestService.start(config, troubledOnce, metrics)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> readCommitted(topics.fetches().name()).size() >= 2);
    }

    List<FetchOutcome> outcomes = outcomes();
    // Twice or three times: a listing seen after its first failed is fetched itself, and aborted.
    assertThat(calls.get()).isBetween(2, 3);
    assertThat(outcomes).hasSize(2);
    FetchOutcome first =
        outcomes.stream().filter(o -> o.getDuplicateOf() == null).findFirst().orElseThrow();
    assertThat(outcomes)
        .filteredOn(o -> o.getDuplicateOf() != null)
        .singleElement()
        .satisfies(d -> assertThat(d.getDuplicateOf()).isEqualTo(first.getRequestId()));
    assertThat(first.getChunkCount()).isEqualTo(2);
  }

  @Test
  void aUrlListedAgainInItsJobIsFetchedOnceAndReportedAsADuplicate() {
    submitLines(
        "job-dup",
        String.join(
            "\n",
            "http://example.org/a.txt",
            "http://example.org/b.txt",
            "http://example.org/a.txt",
            "HTTP://EXAMPLE.org:80/a.txt",
            "http://example.org/b.txt"));
    submitLines("job-other", "http://example.org/a.txt");
    ScriptedFetcher fetcher = new ScriptedFetcher(false);
    try (IngestService ingest = IngestService.start(config, fetcher, metrics)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> readCommitted(topics.fetches().name()).size() >= 6);
    }

    List<FetchOutcome> outcomes = outcomes();
    assertThat(outcomes).hasSize(6);
    assertThat(fetcher.urls)
        .containsExactlyInAnyOrder(
            "http://example.org/a.txt", "http://example.org/b.txt", "http://example.org/a.txt");
    Map<String, String> firstOf = new java.util.HashMap<>();
    for (FetchOutcome outcome : outcomes) {
      if (outcome.getDuplicateOf() == null) {
        firstOf.put(outcome.getJobId() + " " + outcome.getUrl(), outcome.getRequestId());
      }
    }
    List<FetchOutcome> duplicates =
        outcomes.stream().filter(o -> o.getDuplicateOf() != null).toList();
    assertThat(duplicates).hasSize(3);
    assertThat(duplicates)
        .allSatisfy(
            duplicate -> {
              assertThat(duplicate.getJobId()).isEqualTo("job-dup");
              assertThat(duplicate.getChunkCount()).isZero();
              assertThat(duplicate.getDuplicateOf())
                  .isEqualTo(
                      firstOf.get(
                          "job-dup "
                              + (duplicate.getUrl().contains("b.txt")
                                  ? "http://example.org/b.txt"
                                  : "http://example.org/a.txt")));
            });
    assertThat(readCommitted(topics.chunks().name())).hasSize(2 * 3);
  }

  @Test
  void slowFetchesAndAnInstanceJoiningMidBatchStillGiveOneOutcomePerUrl() {
    config =
        config.toBuilder()
            .kafka(
                kafka ->
                    kafka.properties(
                        Map.of("max.poll.interval.ms", "1000", "heartbeat.interval.ms", "200")))
            .build();
    // One URL a record, over both partitions, so that each instance gets some after a rebalance.
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.producer(config), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < URLS; i++) {
        producer.send(
            new ProducerRecord<>(
                topics.urls().name(),
                i % 2,
                "job-slow".getBytes(StandardCharsets.UTF_8),
                ("http://example.org/" + i + ".txt").getBytes(StandardCharsets.UTF_8)));
      }
    }
    ScriptedFetcher held = new ScriptedFetcher(true);
    ScriptedFetcher free = new ScriptedFetcher(false);
    try (IngestService first = IngestService.start(config, held, metrics)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> held.calls.get() == URLS);
      // Several poll intervals pass with every fetch of the batch still in progress.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(first::isRunning);
      try (IngestService second =
          IngestService.start(config.withInstanceId("second"), free, metrics)) {
        // The second instance got partitions whose records the first is still fetching.
        await().atMost(Duration.ofSeconds(60)).until(() -> free.calls.get() > 0);
        held.release.countDown();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> readCommitted(topics.fetches().name()).size() >= URLS);
      }
    }
    List<FetchOutcome> outcomes = outcomes();
    assertThat(outcomes.stream().map(FetchOutcome::getRequestId).toList())
        .hasSize(URLS)
        .doesNotHaveDuplicates();
  }

  @Test
  void aListIsCommittedAsItIsFetchedAndAStopResumesWithWhatWasNotDone() throws Exception {
    config =
        config.toBuilder()
            .fetch(fetch -> fetch.threads(2).requestTimeout(Duration.ofSeconds(10)))
            .build();
    submitPlainText("job-long", 20);
    ScriptedFetcher stuck = new ScriptedFetcher(url -> urlNumber(url) >= 8);
    IngestService first = IngestService.start(config, stuck, metrics);
    // The first 8 are committed while 8 and 9 hang (and 10 and 11 wait for a thread).
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> stuck.calls.get() >= 10 && readCommitted(topics.fetches().name()).size() >= 8);
    Thread stopping = new Thread(first::close);
    stopping.start();
    await().atMost(Duration.ofSeconds(10)).until(first::stopRequested);
    stuck.release.countDown();
    stopping.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(readCommitted(topics.fetches().name())).hasSize(8);

    ScriptedFetcher free = new ScriptedFetcher(false);
    try (IngestService second = IngestService.start(config, free, metrics)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> readCommitted(topics.fetches().name()).size() >= 20);
    }
    assertThat(free.urls.stream().map(IngestServiceIT::urlNumber).sorted().toList())
        .isEqualTo(java.util.stream.IntStream.range(8, 20).boxed().toList());
    assertThat(outcomes().stream().map(FetchOutcome::getRequestId).toList())
        .hasSize(20)
        .doesNotHaveDuplicates();
  }

  private static int urlNumber(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf('/') + 1, url.indexOf(".txt")));
  }

  private void submitPlainText(String jobId, int count) {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < count; i++) {
      lines.append("http://example.org/").append(i).append(".txt\n");
    }
    submitLines(jobId, lines.toString());
  }

  private void submitLines(String jobId, String lines) {
    BROKER.send(config, topics.urlText(), jobId, lines);
  }

  private List<FetchOutcome> outcomes() {
    return readCommitted(topics.fetches().name()).stream()
        .map(r -> topics.fetches().decode(r.value()))
        .toList();
  }

  private List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    return BROKER.readCommitted(config, topic);
  }
}
