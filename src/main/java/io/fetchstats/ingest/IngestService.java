package io.fetchstats.ingest;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.TimedCloseable;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.Topics;
import io.fetchstats.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: reads URL requests, fetches them with the {@link FetchScheduler} (bounded pool,
 * per-host limit, retries), and publishes each body's chunks and exactly one outcome per request.
 * Fetching never waits for Kafka: the requests are started as the pool and the limits have room,
 * and their records go into a transaction that is committed every {@link #COMMIT_INTERVAL} (sooner
 * after {@link #COMMIT_BYTES}, or once nothing is left to do) with the consumed offsets, which tell
 * exactly which requests are done ({@link PartitionProgress}). So a job's results move while it is
 * fetched, and a slow URL holds back no other. A crash or an abort loses the open transaction: its
 * requests are fetched again, and the chunks an earlier commit carried of a body cut short are
 * dropped by the processor (each fetch has its own id, and the outcome names the one that counts).
 */
public final class IngestService implements TimedCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  /** How often a transaction is committed while fetches send into it. */
  static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

  /** Bytes after which a transaction is committed sooner. */
  static final long COMMIT_BYTES = 16L << 20;

  /** How long the loop waits for a fetch to end before it looks at the group again. */
  private static final Duration FETCH_WAIT = Duration.ofMillis(5);

  /** How long an idle loop waits for records. */
  private static final Duration POLL = Duration.ofMillis(100);

  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
  private static final int MAX_CONSECUTIVE_ABORTS = 10;

  /** Requests started and not done, per pool thread: each thread has the next in line. */
  private static final int OPEN_PER_THREAD = 2;

  private static final Duration PROGRESS_LOG_INTERVAL = Duration.ofSeconds(10);

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

  private final int maxOpen;
  private final UrlBacklog backlog = new UrlBacklog();
  private final IngestRecords records;
  private final RequestFetcher fetcher;

  private final OpenRequests open;
  private final CancelledJobs cancelled;

  private int consecutiveAborts;
  private long urlsLogged;
  private long lastProgressLog = System.nanoTime();

  private IngestService(FetchStatsConfig config, Fetcher fetcher, Metrics metrics) {
    this.topics = Topics.of(config);
    this.scheduler =
        new FetchScheduler(
            fetcher, RetryPolicy.of(config), config.fetch().threads(), config.fetch().maxPerHost());
    this.fetchMetrics = new FetchMetrics(metrics, scheduler);
    this.records = new IngestRecords(topics, Clock.systemUTC());
    this.maxOpen = OPEN_PER_THREAD * config.fetch().threads();
    this.open = new OpenRequests(OPEN_PER_THREAD * config.fetch().maxPerHost());
    this.stopTimeout = config.stopTimeout();

    this.identity = IngestIdentity.ofThisProcess(config.instanceId());
    this.groupId = groupId(topics);
    this.consumer =
        UrlsConsumer.create(
            KafkaClients.readCommittedConsumer(config, groupId), identity.clientId(), maxOpen);
    this.producer =
        TransactionalProducer.create(
            KafkaClients.producer(config),
            topics.prefix() + "ingest-" + config.instanceId(),
            this::stopRequested);
    this.cancelled = new CancelledJobs(config);
    this.fetcher = new RequestFetcher(scheduler, producer, records, fetchMetrics, open, cancelled);
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
      service.cancelled.start();
      if (!service.cancelled.awaitCaughtUp(config.kafka().timeout())) {
        log.warn(
            "Cancellations not read within {}: URLs of jobs cancelled meanwhile may be fetched",
            config.kafka().timeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      service.closeClients();
      service.scheduler.close();
      throw new InterruptException(e);
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
      producer.beginTransaction();
      while (!stopRequested()) {
        step();
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (RuntimeException e) {
      log.error("Ingest stopped by an error it cannot recover from", e);
    } finally {
      try {
        abortForStop();
      } catch (RuntimeException e) {
        log.warn("Could not abort what was not committed: {}", e.toString());
      }
      closeClients();
      stopped.countDown();
    }
  }

  /**
   * One turn of the loop: waits a moment for fetches to end (or for records, when idle), reads what
   * was polled, starts what the limits allow, and commits when it is time. A rebalance that took
   * partitions away, a fetch that ended without its outcome, or a commit that failed aborts the
   * open transaction: everything not committed is fetched again.
   */
  private void step() {
    try {
      boolean idle = idle();
      if (!idle) {
        open.takeDone(FETCH_WAIT, backlog::done);
      }
      // Records wait in Kafka while the backlog holds enough to keep the pool busy.
      ConsumerRecords<byte[], byte[]> polled =
          consumer.poll(idle ? POLL : Duration.ZERO, backlog.size() < maxOpen);
      if (consumer.revoked()) {
        abort("partitions moved to another instance", null);
        return;
      }
      for (ConsumerRecord<byte[], byte[]> record : polled) {
        backlog.add(record, consumer::committed);
      }
      startWhatFits();
      Throwable lost = open.lost();
      if (lost != null && !stopRequested()) {
        abortOrThrow(lost);
      } else if (commitDue()) {
        producer.commit(this::doneOffsets, consumer.groupMetadata());
        fetcher.committed();
        consecutiveAborts = 0;
        logProgress();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WakeupException();
    } catch (KafkaException e) {
      if (stopRequested()) {
        return;
      }
      abortOrThrow(e);
    }
  }

  /** Whether the open transaction should be committed now. */
  private boolean commitDue() {
    return producer.sentAny()
        && (producer.sinceFirstSend().compareTo(COMMIT_INTERVAL) >= 0
            || producer.bytesSent() >= COMMIT_BYTES
            || idle());
  }

  /** Whether no request is open or waiting to start. */
  private boolean idle() {
    return open.size() == 0 && backlog.size() == 0;
  }

  /** The offsets of what is done, once every outcome sent is marked done. */
  private Map<TopicPartition, OffsetAndMetadata> doneOffsets() {
    open.takeDone(backlog::done);
    return backlog.offsets();
  }

  /**
   * Starts requests and sends dead letters while the pool, the hosts and the partitions have room.
   */
  private void startWhatFits() {
    open.takeDone(backlog::done);
    while (open.size() < maxOpen) {
      UrlBacklog.Item item = backlog.next(open::hostHasRoom);
      if (item == null) {
        return;
      }
      if (item instanceof UrlBacklog.Refused refused) {
        ConsumerRecord<byte[], byte[]> record = refused.record();
        log.warn(
            "Dead letter from {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            refused.letter().reason());
        producer.send(records.deadLetter(refused.letter()), () -> {});
        fetchMetrics.deadLetter();
      } else if (item instanceof UrlBacklog.Fetch fetch) {
        open.started(fetch, fetcher.fetch(fetch));
      }
    }
  }

  /**
   * Aborts for an error that an abort can clear, unless it is one after which the producer cannot
   * go on (fenced, unauthorised) or the same keeps happening: then the stage stops.
   */
  private void abortOrThrow(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (TransactionalProducer.isFatal(cause)) {
      // Fenced means another instance runs with this instance id; the rest needs an operator.
      throw new IllegalStateException("the transactional producer cannot go on: " + cause, cause);
    }
    if (++consecutiveAborts >= MAX_CONSECUTIVE_ABORTS) {
      throw new IllegalStateException(
          "giving up after " + consecutiveAborts + " aborted attempts in a row: " + cause, cause);
    }
    abort("it will be fetched again", cause);
    backOff();
  }

  /**
   * Aborts the open transaction once no fetch can send into it any more, and goes back to the last
   * commit: what it held is fetched again.
   */
  private void abort(String why, Throwable cause) {
    int cutShort = open.inFlight();
    producer.refuseSends();
    consumer.awaitWhileStayingInTheGroup(open.allEnded());
    producer.abortWhileKafkaIsAway();
    if (cause == null) {
      log.info("Aborting what is not committed ({} fetches in flight): {}", cutShort, why);
    } else {
      log.warn("Aborted what is not committed, {}: {}", why, cause.toString());
    }
    forgetUncommitted();
    consumer.rewind();
    producer.beginTransaction();
  }

  /**
   * Aborts the open transaction for a stop, which cancelled the fetches: the next instance fetches
   * their URLs again rather than find failures that only the stop caused.
   */
  private void abortForStop() {
    producer.refuseSends();
    scheduler.cancel(); // (a stop cancelled them already, but an error does not)
    open.allEnded().join();
    // Counted once all have ended: the stop's cancel may end them before this loop gets here.
    int cutShort = open.withoutOutcome();
    producer.abort();
    if (cutShort > 0) {
      log.info(
          "Stopping: aborted what was not committed ({} fetches cut short); their URLs are"
              + " fetched again at the next start",
          cutShort);
    }
  }

  private void forgetUncommitted() {
    backlog.clear();
    open.clear();
    fetcher.aborted();
  }

  /** Logs how many URLs were fetched: now and then, and when there is nothing left to do. */
  private void logProgress() {
    long now = System.nanoTime();
    if (open.urlsDone() > urlsLogged
        && (idle() || now - lastProgressLog >= PROGRESS_LOG_INTERVAL.toNanos())) {
      lastProgressLog = now;
      urlsLogged = open.urlsDone();
      log.info(
          "Fetched {} URLs ({} failed); {} in flight",
          open.urlsDone(),
          open.urlsFailed(),
          open.size());
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
    cancelled.close();
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
   * Stops within {@code timeout}: cancels the fetches in flight and aborts the open transaction
   * (the URLs without a committed outcome are fetched again at the next start), then closes the
   * clients.
   */
  @Override
  public void close(Duration timeout) {
    stopDeadline = System.nanoTime() + timeout.toNanos();
    stopRequested.countDown();
    // The transaction is aborted whatever the fetches bring: end them rather than wait for them.
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
