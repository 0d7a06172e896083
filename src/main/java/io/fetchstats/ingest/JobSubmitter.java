package io.fetchstats.ingest;

import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.UrlRequest;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.Topics;
import io.fetchstats.config.UrlList;
import io.fetchstats.kafka.AvroSerde;
import io.fetchstats.kafka.KafkaClients;
import io.fetchstats.kafka.KeyReader;
import io.fetchstats.parse.Format;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Submits a job: its manifest and one request per distinct URL, in one transaction, so the job is
 * either wholly submitted or not at all.
 */
public final class JobSubmitter implements AutoCloseable {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** What was submitted. */
  public record Submission(String jobId, int urls, int duplicatesIgnored) {}

  private final FetchStatsConfig config;
  private final String bootstrapServers;
  private final Clock clock;

  /** Made on first submission (guarded by this). */
  private KafkaProducer<byte[], byte[]> producer;

  public JobSubmitter(FetchStatsConfig config, String bootstrapServers, Clock clock) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
    this.clock = clock;
  }

  public static String newJobId() {
    return "job-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static void validateJobId(String jobId) {
    if (!JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException(
          "invalid job id '" + jobId + "': use 1 to 128 letters, digits, '.', '_' or '-'");
    }
  }

  /** A job id given by the caller was submitted before. */
  public static final class JobIdTakenException extends IllegalArgumentException {
    JobIdTakenException(String jobId) {
      super("job id " + jobId + " is taken: it was submitted before");
    }
  }

  /**
   * Fails with {@link JobIdTakenException} if {@code jobId} was submitted before: a second
   * submission under the same id would be counted in the first.
   */
  public void requireNew(String jobId) {
    try (KeyReader manifests =
        new KeyReader(config, bootstrapServers, config.topics().jobs(), jobId)) {
      if (!manifests.readToEnd().isEmpty()) {
        throw new JobIdTakenException(jobId);
      }
    }
  }

  /** Submits one job with a submitter of its own, closed after. */
  public static Submission submitOnce(
      FetchStatsConfig config, String bootstrapServers, String jobId, List<String> lines) {
    try (JobSubmitter submitter = new JobSubmitter(config, bootstrapServers, Clock.systemUTC())) {
      return submitter.submit(jobId, lines);
    }
  }

  /** Submits the URLs of {@code lines} (a {@link UrlList}) as job {@code jobId}. */
  public Submission submit(String jobId, List<String> lines) {
    return submit(jobId, lines, null);
  }

  /**
   * Submits the URLs of {@code lines} as job {@code jobId}, their bodies parsed as {@code format}
   * whatever their responses say (null: as they say).
   */
  public Submission submit(String jobId, List<String> lines, Format format) {
    validateJobId(jobId);
    List<UrlList.Entry> entries = UrlList.parse(lines);
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    entries.forEach(entry -> distinct.add(entry.url()));
    if (distinct.isEmpty()) {
      throw new IllegalArgumentException("no URLs to submit");
    }
    Topics topics = config.topics();
    AvroSerde<UrlRequest> requests = AvroSerde.of(UrlRequest.class);
    byte[] key = jobId.getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      KafkaProducer<byte[], byte[]> producer = producer();
      try {
        producer.beginTransaction();
        JobManifest manifest = new JobManifest(jobId, distinct.size(), clock.instant());
        producer.send(
            new ProducerRecord<>(
                topics.jobs(), key, AvroSerde.of(JobManifest.class).encode(manifest)));
        for (String url : distinct) {
          producer.send(
              new ProducerRecord<>(
                  topics.urls(),
                  key,
                  requests.encode(
                      new UrlRequest(jobId, url, format == null ? null : format.name()))));
        }
        producer.commitTransaction();
      } catch (KafkaException e) {
        // Closing drops what the transaction sent; the next submission starts afresh.
        closeProducer(Duration.ZERO);
        throw e;
      }
    }
    return new Submission(jobId, distinct.size(), entries.size() - distinct.size());
  }

  /**
   * The transactional producer of this submitter, made on first use and kept: a server submitting
   * many jobs uses one transactional id, not one per job (the broker keeps each for days).
   */
  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties props = KafkaClients.producer(config, bootstrapServers);
      props.put(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          config.topics().prefix() + "submit-" + UUID.randomUUID());
      // A person is waiting: fail within seconds when Kafka cannot be reached.
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
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

  private void closeProducer(Duration timeout) {
    if (producer != null) {
      producer.close(timeout);
      producer = null;
    }
  }

  /** Closes the producer, if one was made. */
  @Override
  public synchronized void close() {
    closeProducer(Duration.ofSeconds(30));
  }
}
