package io.fetchstats.ingest;

import io.fetchstats.metrics.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
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
 */
final class TransactionalProducer {
  // The stage's log, where its operators look.
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  /** The broker's default transaction.max.timeout.ms. */
  static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  private static final int COMMIT_ATTEMPTS = 5;

  private final Producer<byte[], byte[]> producer;
  private final BooleanSupplier stopRequested;

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
    // A batch's transaction stays open while its URLs are fetched: allow the broker's maximum.
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

  void beginTransaction() {
    producer.beginTransaction();
  }

  void send(ProducerRecord<byte[], byte[]> record) {
    producer.send(record);
  }

  /**
   * Commits the transaction with the consumed {@code offsets}. A commit that timed out may be
   * retried as it is; the transaction stays open meanwhile.
   */
  void commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    producer.sendOffsetsToTransaction(offsets, group);
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

  /** Aborts the transaction in hand once; a timeout is thrown. */
  void abort() {
    producer.abortTransaction();
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
        return;
      } catch (TimeoutException e) {
        if (stopRequested.getAsBoolean()) {
          return;
        }
        log.warn("Aborting the batch timed out (is Kafka away?); trying again: {}", e.getMessage());
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
