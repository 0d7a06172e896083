package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.TimedCloseable;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topics;
import io.fetchstats.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
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

  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
  private static final int MAX_CONSECUTIVE_ABORTS = 10;

  /** How long a batch's fetching may take at worst, with room left to commit. */
  static final Duration BATCH_BUDGET =
      TransactionalProducer.TRANSACTION_TIMEOUT.multipliedBy(4).dividedBy(5);

  /** How many URLs of recent jobs are remembered to tell duplicates (about 0.5 KB each). */
  private static final int FIRST_FETCHES_REMEMBERED = 20_000;

  private final Topics topics;
  private final FetchScheduler scheduler;
  private final FetchMetrics fetchMetrics;
  private final List<Metrics.Binding> clientMetrics;
  private final UrlsConsumer consumer;
  private final TransactionalProducer producer;
  private final Thread loop;
  private final IngestIdentity identity;
  private final String groupId;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final Duration stopTimeout;

  /** When a stop must be over, in {@link System#nanoTime} (set before a stop is requested). */
  private volatile long stopDeadline;

  private int consecutiveAborts;
  private final BatchLimits limits;
  private final FirstFetches firstFetches = new FirstFetches(FIRST_FETCHES_REMEMBERED);
  private final IngestRecords records;

  private IngestService(FetchStatsConfig config, Fetcher fetcher, Metrics metrics) {
    this.topics = Topics.of(config);
    this.scheduler =
        new FetchScheduler(
            fetcher, RetryPolicy.of(config), config.fetch().threads(), config.fetch().maxPerHost());
    this.fetchMetrics = new FetchMetrics(metrics, scheduler);
    this.records = new IngestRecords(topics, Clock.systemUTC());
    this.limits = BatchLimits.of(config, BATCH_BUDGET);
    this.stopTimeout = config.stopTimeout();

    this.identity = IngestIdentity.ofThisProcess(config.instanceId());
    this.groupId = groupId(topics);
    this.consumer =
        UrlsConsumer.create(
            KafkaClients.readCommittedConsumer(config, groupId),
            identity.clientId(),
            limits.maxUrls());
    this.producer =
        TransactionalProducer.create(
            KafkaClients.producer(config),
            topics.prefix() + "ingest-" + config.instanceId(),
            this::stopRequested);
    this.clientMetrics =
        List.of(
            consumer.bind(metrics, "ingest-consumer"), producer.bind(metrics, "ingest-producer"));
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
      service.consumer.subscribe(service.topics.urls().name());
    } catch (RuntimeException e) {
      service.closeClients();
      service.scheduler.close();
      throw e;
    }
    service.loop.start();
    log.info(
        "Ingest started as instance {}: reading {}",
        config.instanceId(),
        service.topics.urls().name());
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
   * Fetches the URLs of one poll in transactions within the {@link BatchLimits}, as the {@link
   * BatchPlanner} cuts them.
   */
  private void processRecords(ConsumerRecords<byte[], byte[]> polled) {
    BatchPlanner planner = new BatchPlanner(limits);
    for (ConsumerRecord<byte[], byte[]> record : polled) {
      planner.add(record, consumer.committed(record));
    }
    while (planner.hasMore() && !stopRequested()) {
      if (!runTransaction(planner)) {
        return; // aborted and rewound: poll again
      }
    }
  }

  /**
   * Takes the next batch off {@code planner}, fetches its URLs, and commits their chunks, outcomes
   * and offsets in one transaction. An abortable error aborts and rewinds, so they are fetched
   * again; a fatal one (fenced, unauthorised, the same error again and again) is thrown and stops
   * the stage. Returns whether it committed.
   */
  private boolean runTransaction(BatchPlanner planner) {
    consumer.beginBatch();
    firstFetches.abort(); // the last transaction, unless it committed, aborted
    producer.beginTransaction();
    List<CompletableFuture<FetchResult>> fetches = new ArrayList<>();
    try {
      BatchPlanner.Batch batch = planner.next();
      start(batch, fetches);
      consumer.awaitWhileStayingInTheGroup(
          CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)));
      if (stopRequested()) {
        abortForStop(fetches);
        return false;
      }
      if (consumer.batchRevoked()) {
        // Another member owns some of these records now and fetches them itself.
        log.info("Partitions moved to another instance during the batch; aborting it");
        producer.abortWhileKafkaIsAway();
        consumer.rewind();
        return false;
      }
      producer.commit(batch.offsets(), consumer.groupMetadata());
    } catch (WakeupException e) {
      abortForStop(fetches);
      throw e;
    } catch (CompletionException | KafkaException e) {
      if (stopRequested()) {
        abortForStop(fetches); // the stop cancelled fetches of the batch
        return false;
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (TransactionalProducer.isFatal(cause)) {
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
      producer.abortWhileKafkaIsAway();
      consumer.rewind();
      backOff();
      return false;
    }
    consecutiveAborts = 0;
    firstFetches.commit();
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
    producer.abort();
    if (!fetches.isEmpty()) {
      long cutShort = fetches.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      log.info(
          "Stopping: aborted the batch in hand ({} done, {} cut short); its URLs are fetched again"
              + " at the next start",
          fetches.size() - cutShort,
          cutShort);
    }
  }

  /** Sends the batch's dead letters and starts its fetches. */
  private void start(BatchPlanner.Batch batch, List<CompletableFuture<FetchResult>> fetches) {
    for (BatchPlanner.Refused refused : batch.refused()) {
      ConsumerRecord<byte[], byte[]> record = refused.record();
      log.warn(
          "Dead letter from {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          refused.letter().reason());
      producer.send(records.deadLetter(refused.letter()));
      fetchMetrics.deadLetter();
    }
    for (BatchPlanner.Fetch fetch : batch.fetches()) {
      fetches.add(fetchOnce(fetch));
    }
  }

  /** Waits until every fetch has ended, however. */
  private static void finish(List<CompletableFuture<FetchResult>> fetches) {
    fetches.forEach(fetch -> fetch.handle((result, error) -> result).join());
  }

  /**
   * Fetches the request's URL and publishes its chunks and outcome; a URL its job listed before is
   * not fetched again: its outcome names the first request (once that one has its result).
   */
  private CompletableFuture<FetchResult> fetchOnce(BatchPlanner.Fetch fetch) {
    UrlRequests.Request request = fetch.request();
    FirstFetches.First first = firstFetches.earlier(request, fetch.url());
    if (first != null) {
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
            .fetch(
                request.url(),
                fetch.host(),
                request.format(),
                (seq, format, header, data) ->
                    producer.send(records.chunk(request, seq, format, header, data)))
            .thenApply(
                fetched -> {
                  fetchMetrics.record(fetched);
                  publishOutcome(request, fetched, null);
                  return fetched;
                });
    firstFetches.add(request, fetch.url(), result);
    return result;
  }

  /** Publishes the request's one outcome: see {@link IngestRecords#outcome}. */
  private void publishOutcome(UrlRequests.Request request, FetchResult result, String duplicateOf) {
    producer.send(records.outcome(request, result, duplicateOf));
    if (duplicateOf != null) {
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
