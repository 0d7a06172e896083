package io.fetchstats.submit;

import io.fetchstats.avro.JobCancellation;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.UrlRequest;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.domain.Keys;
import io.fetchstats.domain.UrlList;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.KeyReader;
import io.fetchstats.kafka.Topics;
import io.fetchstats.parse.Format;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Submits a job: its manifest and one request per distinct URL, in one transaction, so the job is
 * either wholly submitted or not at all.
 */
public final class JobSubmitter implements JobSink {
  /** What was submitted. */
  public record Submission(String jobId, int urls, int duplicatesIgnored) {}

  private final FetchStatsConfig config;
  private final Topics topics;
  private final Clock clock;

  /** How long a submission waits for the one before it before giving up. */
  static final Duration TURN_WAIT = Duration.ofSeconds(30);

  /**
   * One id for every producer this submitter makes: a producer made after a failure fences whatever
   * its predecessor left open, so no transaction lingers to hold back readers.
   */
  private final String transactionalId;

  /** Submissions take turns on the one producer. */
  private final ReentrantLock turn = new ReentrantLock();

  /** Made on first submission (guarded by turn). */
  private KafkaProducer<byte[], byte[]> producer;

  private boolean closed; // guarded by turn

  public JobSubmitter(FetchStatsConfig config, Clock clock) {
    this.config = config;
    this.topics = Topics.of(config);
    this.clock = clock;
    this.transactionalId = topics.prefix() + "submit-" + UUID.randomUUID();
  }

  public static String newJobId() {
    return "job-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A job id given by the caller was submitted before: not a malformed request but a conflict with
   * what is there (HTTP 409, exit code 1).
   */
  public static final class JobIdTakenException extends IllegalStateException {
    JobIdTakenException(String jobId) {
      super(
          "job id "
              + jobId
              + " is taken: it was submitted before (leave --job-id out for a new one)");
    }
  }

  /**
   * Fails with {@link JobIdTakenException} if {@code jobId} was submitted before: a second
   * submission under the same id would be counted in the first.
   */
  public void requireNew(String jobId) {
    try (KeyReader manifests = new KeyReader(config, topics.jobs(), jobId)) {
      if (!manifests.readToEnd().isEmpty()) {
        throw new JobIdTakenException(jobId);
      }
    }
  }

  /** Submits one job with a submitter of its own, closed after. */
  public static Submission submitOnce(FetchStatsConfig config, String jobId, List<String> lines) {
    try (JobSubmitter submitter = new JobSubmitter(config, Clock.systemUTC())) {
      return submitter.submit(jobId, lines);
    }
  }

  /** Submits the URLs of {@code lines} (a {@link UrlList}) as job {@code jobId}. */
  public Submission submit(String jobId, List<String> lines) {
    return submit(jobId, lines, null);
  }

  /**
   * Submits the URLs of {@code lines} as job {@code jobId}, their bodies parsed as {@code format}
   * whatever their responses say (null: as they say); {@code retryOf} names the job whose failed
   * URLs these are (null: none).
   */
  @Override
  public Submission submit(String jobId, List<String> lines, Format format, String retryOf) {
    Keys.validateJobId(jobId);
    List<UrlList.Entry> entries = UrlList.parse(lines);
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    entries.forEach(entry -> distinct.add(entry.url()));
    if (distinct.isEmpty()) {
      throw new IllegalArgumentException("no URLs to submit");
    }
    for (UrlList.Entry entry : entries) {
      if (entry.url().length() > Keys.MAX_URL_LENGTH) {
        throw new IllegalArgumentException(
            "the URL on line "
                + (entry.line() + 1)
                + " is longer than "
                + Keys.MAX_URL_LENGTH
                + " characters");
      }
    }
    String formatName = format == null ? null : format.name();
    inTransaction(
        producer -> {
          JobManifest manifest =
              new JobManifest(jobId, distinct.size(), clock.instant(), formatName, retryOf);
          producer.send(topics.jobs().record(jobId, manifest));
          for (String url : distinct) {
            producer.send(topics.urls().record(jobId, new UrlRequest(jobId, url, formatName)));
          }
        });
    return new Submission(jobId, distinct.size(), entries.size() - distinct.size());
  }

  @Override
  public void cancel(String jobId) {
    Keys.validateJobId(jobId);
    inTransaction(
        producer ->
            producer.send(
                topics.cancellations().record(jobId, new JobCancellation(jobId, clock.instant()))));
  }

  /** Sends what {@code sends} sends in one transaction, on this submitter's turn. */
  private void inTransaction(java.util.function.Consumer<KafkaProducer<byte[], byte[]>> sends) {
    awaitTurn();
    try {
      KafkaProducer<byte[], byte[]> producer = producer();
      boolean committed = false;
      try {
        producer.beginTransaction();
        sends.accept(producer);
        producer.commitTransaction();
        committed = true;
      } finally {
        if (!committed) {
          abandonTransaction();
        }
      }
    } finally {
      turn.unlock();
    }
  }

  /**
   * The transactional producer of this submitter, made on first use and kept: a server submitting
   * many jobs uses one transactional id, not one per job (the broker keeps each for days).
   */
  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties props = KafkaClients.producer(config);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      // A person is waiting: fail within seconds when Kafka cannot be reached.
      props.put(
          ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(config.kafka().timeout().toMillis()));
      KafkaProducer<byte[], byte[]> made =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
      try {
        made.initTransactions();
      } catch (RuntimeException e) {
        made.close(Duration.ZERO);
        throw e;
      }
      producer = made;
    }
    return producer;
  }

  /**
   * Waits for the submission before this one, at most {@link #TURN_WAIT}.
   *
   * @throws TimeoutException if it is still going (Kafka is slow or away)
   * @throws IllegalStateException if this submitter is closed
   */
  private void awaitTurn() {
    try {
      if (!turn.tryLock(TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimeoutException(
            "another submission has held the producer for " + TURN_WAIT + "; try again");
      }
    } catch (InterruptedException e) {
      throw new InterruptException(e);
    }
    if (closed) {
      turn.unlock();
      throw new IllegalStateException("the submitter is closed");
    }
  }

  /**
   * Aborts the transaction in hand, so its records are never read and readers are not held back
   * until it times out; a producer that cannot abort (fenced, or broken) is closed, and the next
   * submission makes a new one, which fences what is left.
   */
  private void abandonTransaction() {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      closeProducer(Duration.ZERO);
    }
  }

  private void closeProducer(Duration timeout) {
    if (producer != null) {
      producer.close(timeout);
      producer = null;
    }
  }

  /** Closes the producer, if one was made; submissions after this fail. */
  @Override
  public void close() {
    turn.lock();
    try {
      closed = true;
      closeProducer(Duration.ofSeconds(30));
    } finally {
      turn.unlock();
    }
  }
}
