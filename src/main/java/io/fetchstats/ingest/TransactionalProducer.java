package io.fetchstats.ingest;

import io.fetchstats.metrics.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage's transactional producer, and what to do when the broker is in trouble: a commit
 * that timed out is tried again as it is, an abort until the broker answers, and some errors end
 * the producer for good ({@link #isFatal}).
 *
 * <p>A transaction is always open but while one aborts. Fetch threads send into it at any time; a
 * commit waits for the sends in progress and holds new ones back until the next transaction has
 * begun, so that whatever a send goes with (a request marked done) is in the same transaction.
 */
final class TransactionalProducer {
  // The stage's log, where its operators look.
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  /**
   * Transactions are committed every fraction of a second; one open longer was left by an instance
   * that died, and holds back every read_committed reader of its partitions until it times out.
   */
  static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(1);

  private static final int COMMIT_ATTEMPTS = 5;

  private final Producer<byte[], byte[]> producer;
  private final BooleanSupplier stopRequested;

  /** Sends hold its read lock, a commit its write lock. */
  private final ReadWriteLock gate = new ReentrantReadWriteLock();

  /** Whether a transaction was begun and not yet committed or aborted. */
  private volatile boolean inTransaction;

  /** Set while a transaction is being aborted: sends fail rather than go into the next. */
  private volatile boolean refusing;

  private final AtomicLong bytesInTransaction = new AtomicLong();

  /** When the transaction's first record was sent, in {@link System#nanoTime}; 0: none yet. */
  private final AtomicLong firstSendNanos = new AtomicLong();

  /** {@code stopRequested} ends the tries to abort: see {@link #abortWhileKafkaIsAway}. */
  TransactionalProducer(Producer<byte[], byte[]> producer, BooleanSupplier stopRequested) {
    this.producer = producer;
    this.stopRequested = stopRequested;
  }

  /**
   * A producer with {@code properties} and {@code transactionalId}, which should be stable per
   * instance, so that a restarted instance aborts what its predecessor left open.
   */
  static TransactionalProducer create(
      Properties properties, String transactionalId, BooleanSupplier stopRequested) {
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    properties.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
    return new TransactionalProducer(
        new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer()),
        stopRequested);
  }

  /** Fences an earlier producer with this transactional id and aborts what it left open. */
  void initTransactions() {
    producer.initTransactions();
  }

  /** Begins a transaction and lets sends in: at the start, and after an abort. */
  void beginTransaction() {
    producer.beginTransaction();
    inTransaction = true;
    bytesInTransaction.set(0);
    firstSendNanos.set(0);
    refusing = false;
  }

  /**
   * Sends {@code record} in the open transaction, and then runs {@code then}, before any commit.
   * While a transaction is being aborted, a send fails with a CancellationException.
   */
  void send(ProducerRecord<byte[], byte[]> record, Runnable then) {
    gate.readLock().lock();
    try {
      if (refusing) {
        throw new CancellationException("the transaction is being aborted");
      }
      producer.send(record);
      firstSendNanos.compareAndSet(0, System.nanoTime());
      bytesInTransaction.addAndGet(record.value() == null ? 0 : record.value().length);
      then.run();
    } finally {
      gate.readLock().unlock();
    }
  }

  /** Whether anything was sent in the open transaction. */
  boolean sentAny() {
    return firstSendNanos.get() != 0;
  }

  /** How long ago the open transaction's first record was sent (zero if none was). */
  Duration sinceFirstSend() {
    long first = firstSendNanos.get();
    return first == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - first);
  }

  /** Bytes of record values sent in the open transaction. */
  long bytesSent() {
    return bytesInTransaction.get();
  }

  /**
   * Commits the open transaction with the consumed offsets, which {@code offsets} tells once the
   * sends in progress are over, and begins the next. A commit that timed out may be retried as it
   * is; the transaction stays open meanwhile.
   */
  void commit(
      Supplier<Map<TopicPartition, OffsetAndMetadata>> offsets, ConsumerGroupMetadata group) {
    gate.writeLock().lock();
    try {
      Map<TopicPartition, OffsetAndMetadata> consumed = offsets.get();
      if (!consumed.isEmpty()) {
        producer.sendOffsetsToTransaction(consumed, group);
      }
      for (int attempt = 1; ; attempt++) {
        try {
          producer.commitTransaction();
          break;
        } catch (TimeoutException e) {
          if (attempt == COMMIT_ATTEMPTS) {
            throw new IllegalStateException("cannot commit a transaction: " + e.getMessage(), e);
          }
          log.warn("Committing timed out, retrying ({}/{})", attempt, COMMIT_ATTEMPTS);
        }
      }
      beginTransaction();
    } finally {
      gate.writeLock().unlock();
    }
  }

  /** From now until the next {@link #beginTransaction}, sends fail: an abort is coming. */
  void refuseSends() {
    refusing = true;
  }

  /** Aborts the transaction in hand once, if one is; a timeout is thrown. */
  void abort() {
    if (inTransaction) {
      inTransaction = false;
      producer.abortTransaction();
    }
  }

  /**
   * Aborts the transaction in hand. While the broker is away (restarting) an abort times out after
   * max.block.ms; it may be tried again as it is, and is, until the broker answers: thrown, the
   * timeout stopped the stage for good. A stop ends the tries: the next instance with this instance
   * id aborts what is left open.
   */
  void abortWhileKafkaIsAway() {
    while (true) {
      try {
        producer.abortTransaction();
        inTransaction = false;
        return;
      } catch (TimeoutException e) {
        if (stopRequested.getAsBoolean()) {
          return;
        }
        log.warn("Aborting timed out (is Kafka away?); trying again: {}", e.getMessage());
      }
    }
  }

  /** Errors after which this producer cannot go on (a new instance must start). */
  static boolean isFatal(Throwable cause) {
    return cause instanceof ProducerFencedException
        || cause instanceof InvalidProducerEpochException
        || cause instanceof OutOfOrderSequenceException
        || cause instanceof UnsupportedVersionException
        || cause instanceof AuthorizationException
        || cause instanceof AuthenticationException;
  }

  Metrics.Binding bind(Metrics metrics, String client) {
    return metrics.bind(producer, client);
  }

  void close(Duration timeout) {
    producer.close(timeout);
  }
}
