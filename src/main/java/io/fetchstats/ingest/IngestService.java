package io.fetchstats.ingest;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.TimedCloseable;
import io.fetchstats.config.Topics;
import io.fetchstats.domain.Keys;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.DeadLetters;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.metrics.Metrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: reads URL requests, fetches them with the {@link FetchScheduler} (bounded pool,
 * per-host limit, retries), and publishes each body's chunks and exactly one outcome per request in
 * one Kafka transaction together with the consumed offsets. A crash before the commit leaves no
 * visible chunk, and the requests are fetched again.
 */
public final class IngestService implements TimedCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * While a batch is fetched: wait this long for its end (which ends the wait at once), then poll
   * the group this long (which does not): the batch's end is seen at most one poll late.
   */
  private static final Duration BATCH_WAIT = Duration.ofMillis(45);

  private static final Duration GROUP_POLL = Duration.ofMillis(5);
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
  private static final int COMMIT_ATTEMPTS = 5;
  private static final int MAX_CONSECUTIVE_ABORTS = 10;

  /** Offset metadata of a record committed partly: the line its next transaction starts at. */
  private static final String RESUME_AT = "fetchstats.line=";

  /** The broker's default transaction.max.timeout.ms. */
  private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  /** How long a batch's fetching may take at worst, with room left to commit. */
  static final Duration BATCH_BUDGET = TRANSACTION_TIMEOUT.multipliedBy(4).dividedBy(5);

  /** How many URLs of recent jobs are remembered to tell duplicates (about 0.5 KB each). */
  private static final int FIRST_FETCHES_REMEMBERED = 20_000;

  private final Topics topics;
  private final FetchScheduler scheduler;
  private final FetchMetrics fetchMetrics;
  private final List<Metrics.Binding> clientMetrics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Clock clock;
  private final Thread loop;
  private final IngestIdentity identity;
  private final String groupId;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final Duration stopTimeout;

  /** When a stop must be over, in {@link System#nanoTime} (set before a stop is requested). */
  private volatile long stopDeadline;

  /** Set when a rebalance takes partitions away while a batch is in flight (loop thread only). */
  private boolean batchRevoked;

  private int consecutiveAborts;

  /**
   * Committed offsets of the assigned partitions, with the line to resume at (loop thread only).
   */
  private final Map<TopicPartition, OffsetAndMetadata> resumePoints = new HashMap<>();

  private final BatchLimits limits;

  /**
   * The first request of each URL of recent jobs (job id and URL to its outcome) whose outcome this
   * instance committed, so that a URL listed again in its job is fetched once; a duplicate's
   * outcome then always names a committed one. Least recently used first (loop thread only).
   */
  private final Map<String, FirstFetch> committedFirsts =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FirstFetch> eldest) {
          return size() > FIRST_FETCHES_REMEMBERED;
        }
      };

  /** The first requests of the transaction in hand: forgotten if it aborts (loop thread only). */
  private final Map<String, FirstFetch> batchFirsts = new HashMap<>();

  private record FirstFetch(String requestId, CompletableFuture<FetchResult> result) {}

  private final AvroSerde<Chunk> chunkSerde = AvroSerde.of(Chunk.class);
  private final AvroSerde<FetchOutcome> outcomeSerde = AvroSerde.of(FetchOutcome.class);

  private IngestService(FetchStatsConfig config, Fetcher fetcher, Metrics metrics) {
    this.topics = config.topics();
    this.scheduler =
        new FetchScheduler(
            fetcher, RetryPolicy.of(config), config.fetch().threads(), config.fetch().maxPerHost());
    this.fetchMetrics = new FetchMetrics(metrics, scheduler);
    this.clock = Clock.systemUTC();
    this.limits = BatchLimits.of(config, BATCH_BUDGET);
    this.stopTimeout = config.stopTimeout();

    this.identity = IngestIdentity.ofThisProcess(config.instanceId());
    this.groupId = groupId(topics);
    Properties consumerProps = KafkaClients.readCommittedConsumer(config, groupId);
    consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, identity.clientId());
    // A batch is fetched before the next poll: a poll need not bring more than one.
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(limits.maxUrls()));
    // The loop polls every 50 ms, even while it fetches.
    KafkaClients.shortSession(consumerProps);
    this.consumer =
        new KafkaConsumer<>(
            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());

    Properties producerProps = KafkaClients.producer(config);
    // Stable per instance, so a restarted instance aborts what its predecessor left open.
    producerProps.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.prefix() + "ingest-" + config.instanceId());
    // A batch's transaction stays open while its URLs are fetched: allow the broker's maximum.
    producerProps.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
    this.producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    this.clientMetrics =
        List.of(
            metrics.bind(consumer, "ingest-consumer"), metrics.bind(producer, "ingest-producer"));
    this.loop = new Thread(this::run, "fetchstats-ingest");
  }

  /** The consumer group of every ingest instance of a pipeline. */
  public static String groupId(Topics topics) {
    return topics.prefix() + "ingest";
  }

  /** Starts fetching with the real HTTP client, its meters in {@code metrics}. */
  public static IngestService start(FetchStatsConfig config, Metrics metrics) {
    return start(config, new HttpFetcher(config), metrics);
  }

  static IngestService start(FetchStatsConfig config, Fetcher fetcher, Metrics metrics) {
    AvroSerde.requireLengthLimits();
    IngestService service = new IngestService(config, fetcher, metrics);
    try {
      // Before the producer fences whichever has this instance id: it must not be a live one.
      service.identity.requireUnused(config, service.groupId);
      // Aborts whatever a previous incarnation with the same instance id left open.
      service.producer.initTransactions();
      service.consumer.subscribe(List.of(service.topics.urls()), service.new BatchGuard());
    } catch (RuntimeException e) {
      service.closeClients();
      service.scheduler.close();
      throw e;
    }
    service.loop.start();
    log.info(
        "Ingest started as instance {}: reading {}", config.instanceId(), service.topics.urls());
    return service;
  }

  private void run() {
    try {
      while (!stopRequested()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (!records.isEmpty()) {
          processRecords(records);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (RuntimeException e) {
      log.error("Ingest stopped by an error it cannot recover from", e);
    } finally {
      closeClients();
      stopped.countDown();
    }
  }

  /**
   * A record of the urls topic and what is left to do of it: its requests, and its dead letter if
   * some or all of it cannot be read.
   */
  private static final class Work {
    final ConsumerRecord<byte[], byte[]> record;
    final ArrayDeque<UrlRequests.Request> requests;
    DeadLetters.Letter deadLetter;

    Work(
        ConsumerRecord<byte[], byte[]> record,
        List<UrlRequests.Request> requests,
        DeadLetters.Letter deadLetter) {
      this.record = record;
      this.requests = new ArrayDeque<>(requests);
      this.deadLetter = deadLetter;
    }

    TopicPartition partition() {
      return new TopicPartition(record.topic(), record.partition());
    }
  }

  /**
   * Fetches the URLs of one poll in transactions within the {@link BatchLimits}. A record with more
   * URLs (a long plain-text list) spans several transactions: the offset committed with the earlier
   * ones stays on the record, with the next line to fetch in its metadata.
   */
  private void processRecords(ConsumerRecords<byte[], byte[]> records) {
    Deque<Work> work = new ArrayDeque<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      UrlRequests.Parsed parsed = UrlRequests.parse(record);
      int firstLine = resumeLine(record);
      work.add(
          new Work(
              record,
              parsed.requests().stream().filter(request -> request.line() >= firstLine).toList(),
              firstLine > 0 || parsed.error() == null
                  ? null
                  : DeadLetters.letter(
                      record.key(),
                      record.value(),
                      parsed.exception(),
                      parsed.error(),
                      record.topic(),
                      record.partition(),
                      record.offset())));
    }
    while (!work.isEmpty() && !stopRequested()) {
      if (!runTransaction(work)) {
        return; // aborted and rewound: poll again
      }
    }
  }

  /**
   * Takes the URLs of a batch off {@code work}, fetches them, and commits their chunks, outcomes
   * and offsets in one transaction. An abortable error aborts and rewinds, so they are fetched
   * again; a fatal one (fenced, unauthorised, the same error again and again) is thrown and stops
   * the stage. Returns whether it committed.
   */
  private boolean runTransaction(Deque<Work> work) {
    batchRevoked = false;
    batchFirsts.clear(); // an aborted transaction's first fetches never happened
    producer.beginTransaction();
    List<CompletableFuture<FetchResult>> fetches = new ArrayList<>();
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets = takeBatch(work, fetches);
      awaitWhileStayingInTheGroup(
          CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)));
      if (stopRequested()) {
        abortForStop(fetches);
        return false;
      }
      if (batchRevoked) {
        // Another member owns some of these records now and fetches them itself.
        log.info("Partitions moved to another instance during the batch; aborting it");
        abortWhileKafkaIsAway();
        rewind();
        return false;
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      commit();
    } catch (WakeupException e) {
      abortForStop(fetches);
      throw e;
    } catch (CompletionException | KafkaException e) {
      if (stopRequested()) {
        abortForStop(fetches); // the stop cancelled fetches of the batch
        return false;
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (isFatal(cause)) {
        // Fenced means another instance runs with this instance id; the rest needs an operator.
        throw new IllegalStateException("the transactional producer cannot go on: " + cause, cause);
      }
      if (++consecutiveAborts >= MAX_CONSECUTIVE_ABORTS) {
        throw new IllegalStateException(
            "giving up after " + consecutiveAborts + " aborted attempts in a row: " + cause, cause);
      }
      log.warn("Batch aborted, it will be fetched again: {}", cause.toString());
      // Fetches still running would publish into the next transaction.
      finish(fetches);
      abortWhileKafkaIsAway();
      rewind();
      backOff();
      return false;
    }
    consecutiveAborts = 0;
    committedFirsts.putAll(batchFirsts);
    batchFirsts.clear();
    long failed = fetches.stream().filter(f -> !f.join().ok()).count();
    if (!fetches.isEmpty()) {
      log.info("Fetched {} URLs ({} failed)", fetches.size(), failed);
    }
    return true;
  }

  /**
   * Aborts the batch in hand for a stop, which cancelled its fetches: the next instance fetches its
   * URLs again rather than find failures that only the stop caused.
   */
  private void abortForStop(List<CompletableFuture<FetchResult>> fetches) {
    finish(fetches); // none may still publish into the transaction
    producer.abortTransaction();
    if (!fetches.isEmpty()) {
      long cutShort = fetches.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      log.info(
          "Stopping: aborted the batch in hand ({} done, {} cut short); its URLs are fetched again"
              + " at the next start",
          fetches.size() - cutShort,
          cutShort);
    }
  }

  /** Starts the fetches of the next batch; returns the offsets to commit with it. */
  private Map<TopicPartition, OffsetAndMetadata> takeBatch(
      Deque<Work> work, List<CompletableFuture<FetchResult>> fetches) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<String, Integer> urlsPerHost = new HashMap<>();
    boolean full = false;
    while (!work.isEmpty() && !full) {
      Work next = work.peek();
      if (next.deadLetter != null) {
        ConsumerRecord<byte[], byte[]> record = next.record;
        log.warn(
            "Dead letter from {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            next.deadLetter.reason());
        producer.send(next.deadLetter.toRecord(topics.deadLetters()));
        fetchMetrics.deadLetter();
        next.deadLetter = null;
      }
      while (!next.requests.isEmpty() && !full) {
        // Parsed once here: this thread is the one every URL of the stage goes through.
        HttpUrl parsed = HttpUrl.parse(next.requests.peek().url().strip());
        String host = FetchScheduler.hostOf(parsed);
        full =
            fetches.size() == limits.maxUrls()
                || urlsPerHost.getOrDefault(host, 0) == limits.maxUrlsPerHost();
        if (!full) {
          urlsPerHost.merge(host, 1, Integer::sum);
          fetches.add(fetchOnce(next.requests.poll(), parsed, host));
        }
      }
      if (next.requests.isEmpty()) {
        offsets.put(next.partition(), new OffsetAndMetadata(next.record.offset() + 1));
        work.poll();
      } else {
        offsets.put(
            next.partition(),
            new OffsetAndMetadata(next.record.offset(), RESUME_AT + next.requests.peek().line()));
      }
    }
    return offsets;
  }

  /** Waits until every fetch has ended, however. */
  private static void finish(List<CompletableFuture<FetchResult>> fetches) {
    fetches.forEach(fetch -> fetch.handle((result, error) -> result).join());
  }

  /**
   * The first line to fetch of {@code record}: after the lines an earlier transaction committed.
   */
  private int resumeLine(ConsumerRecord<byte[], byte[]> record) {
    OffsetAndMetadata committed =
        resumePoints.get(new TopicPartition(record.topic(), record.partition()));
    if (committed == null
        || committed.offset() != record.offset()
        || !committed.metadata().startsWith(RESUME_AT)) {
      return 0;
    }
    return Integer.parseInt(committed.metadata().substring(RESUME_AT.length()));
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

  /**
   * Waits for the batch's fetches. Meanwhile it keeps polling, with every partition paused, so that
   * slow fetches do not exceed {@code max.poll.interval.ms} and cost this consumer its place in the
   * group (and the batch its offsets).
   */
  private void awaitWhileStayingInTheGroup(CompletableFuture<Void> fetches) {
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

  /**
   * Aborts the transaction in hand. While the broker is away (restarting) an abort times out after
   * max.block.ms; it may be tried again as it is, and is, until the broker answers: thrown, the
   * timeout stopped the stage for good. A stop ends the tries: the next instance with this instance
   * id aborts what is left open.
   */
  private void abortWhileKafkaIsAway() {
    while (true) {
      try {
        producer.abortTransaction();
        return;
      } catch (TimeoutException e) {
        if (stopRequested()) {
          return;
        }
        log.warn("Aborting the batch timed out (is Kafka away?); trying again: {}", e.getMessage());
      }
    }
  }

  /** A commit that timed out may be retried as it is; the transaction stays open meanwhile. */
  private void commit() {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (attempt == COMMIT_ATTEMPTS) {
          throw new IllegalStateException("cannot commit a transaction: " + e.getMessage(), e);
        }
        log.warn("Committing timed out, retrying ({}/{})", attempt, COMMIT_ATTEMPTS);
      }
    }
  }

  /** Errors after which this producer cannot go on (a new instance must start). */
  private static boolean isFatal(Throwable cause) {
    return cause instanceof ProducerFencedException
        || cause instanceof InvalidProducerEpochException
        || cause instanceof OutOfOrderSequenceException
        || cause instanceof UnsupportedVersionException
        || cause instanceof AuthorizationException
        || cause instanceof AuthenticationException;
  }

  /**
   * Fetches the request's URL and publishes its chunks and outcome; a URL its job listed before is
   * not fetched again: its outcome names the first request (once that one has its result).
   */
  private CompletableFuture<FetchResult> fetchOnce(
      UrlRequests.Request request, HttpUrl parsed, String host) {
    String key = request.jobId() + '\n' + Keys.canonicalUrl(parsed, request.url());
    FirstFetch first =
        batchFirsts.containsKey(key) ? batchFirsts.get(key) : committedFirsts.get(key);
    if (first != null && !first.requestId().equals(request.requestId())) {
      return first
          .result()
          .thenApply(
              result -> {
                publishOutcome(request, result, first.requestId());
                return result;
              });
    }
    CompletableFuture<FetchResult> result =
        scheduler
            .fetch(request.url(), host, request.format(), chunkSink(request))
            .thenApply(
                fetched -> {
                  fetchMetrics.record(fetched);
                  publishOutcome(request, fetched, null);
                  return fetched;
                });
    batchFirsts.put(key, new FirstFetch(request.requestId(), result));
    return result;
  }

  private Chunker.Sink chunkSink(UrlRequests.Request request) {
    return (seq, format, header, data) -> {
      Chunk chunk =
          new Chunk(
              request.jobId(),
              request.url(),
              request.requestId(),
              seq,
              format.name(),
              header,
              ByteBuffer.wrap(data));
      producer.send(
          new ProducerRecord<>(
              topics.chunks(),
              utf8(Keys.chunk(request.jobId(), request.url(), request.requestId(), seq)),
              chunkSerde.encode(chunk)));
    };
  }

  /**
   * Publishes the request's one outcome; {@code duplicateOf} names the first request of the same
   * URL, whose result this repeats without its body (nothing of it is counted twice).
   */
  private void publishOutcome(UrlRequests.Request request, FetchResult result, String duplicateOf) {
    boolean duplicate = duplicateOf != null;
    FetchOutcome outcome =
        FetchOutcome.newBuilder()
            .setJobId(request.jobId())
            .setUrl(request.url())
            .setRequestId(request.requestId())
            .setOk(result.ok())
            .setStatus(result.status())
            .setProtocol(result.protocol())
            .setErrorClass(result.ok() ? null : result.failure().name())
            .setError(result.error())
            .setContentType(result.contentType())
            .setFormat(result.format().name())
            .setBytes(duplicate ? 0 : result.bytes())
            .setChunkCount(duplicate ? 0 : result.chunks())
            .setSha256(result.sha256())
            .setLatencyMs(duplicate ? 0 : result.latencyMs())
            .setAttempts(duplicate ? 0 : result.attempts())
            .setFetchedAt(clock.instant())
            .setDuplicateOf(duplicateOf)
            .build();
    producer.send(
        new ProducerRecord<>(
            topics.fetches(),
            utf8(Keys.request(request.jobId(), request.url(), request.requestId())),
            outcomeSerde.encode(outcome)));
    if (duplicate) {
      log.info("{} is listed again in job {}: not fetched twice", request.url(), request.jobId());
    } else if (!result.ok()) {
      log.info(
          "{} failed after {} attempt(s): {} {}",
          request.url(),
          result.attempts(),
          result.failure(),
          result.error());
    }
  }

  /** Goes back to the last committed offsets, so an aborted batch is read again. */
  private void rewind() {
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

  /** Whether {@link #close} has been called. */
  boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  /** Waits a moment before trying again; a stop ends the wait. */
  private void backOff() {
    try {
      stopRequested.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the loop is still running (false after {@link #close} or a fatal error). */
  public boolean isRunning() {
    return stopped.getCount() > 0;
  }

  private void closeClients() {
    fetchMetrics.close();
    clientMetrics.forEach(Metrics.Binding::close);
    producer.close(timeToClose());
    consumer.close(timeToClose());
  }

  /** What is left of a stop's time, or a stop timeout when the loop ends on an error. */
  private Duration timeToClose() {
    return stopRequested()
        ? Duration.ofNanos(Math.max(0, stopDeadline - System.nanoTime()))
        : stopTimeout;
  }

  /** Stops within the configured stop timeout: see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(stopTimeout);
  }

  /**
   * Stops within {@code timeout}: cancels the fetches of the batch in hand and aborts it (its URLs
   * are fetched again at the next start, their offsets not committed), then closes the clients.
   */
  @Override
  public void close(Duration timeout) {
    stopDeadline = System.nanoTime() + timeout.toNanos();
    stopRequested.countDown();
    // The batch is aborted whatever its fetches bring: end them rather than wait for them.
    scheduler.cancel();
    consumer.wakeup();
    try {
      if (!stopped.await(Math.max(0, stopDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        // Its transaction stays open until the next start with this instance id aborts it.
        log.warn("Ingest did not stop within {}", timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.close();
  }
}
