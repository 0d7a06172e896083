package io.fetchstats.kafka;

import io.fetchstats.avro.Chunk;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.JobCancellation;
import io.fetchstats.avro.JobManifest;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlRequest;
import io.fetchstats.avro.UrlResult;
import io.fetchstats.config.FetchStatsConfig;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The pipeline's topics, all sharing one prefix, each with the serdes of what it holds.
 *
 * <p>Keys are UTF-8 strings: the job id, or {@code jobId|url...} for per-URL topics. Values are
 * Avro records in single-object encoding (schemas in {@code schemas/}), except that {@code urls}
 * also takes plain UTF-8 text, one URL a line ({@link #urlText}), and {@code dead-letters} holds
 * the bytes of records that could not be read, as they were.
 */
public final class Topics {

  /** One topic the app creates: what its keys and values are, and whether it is compacted. */
  public record Definition(Topic<?, ?> topic, String key, String value, boolean compacted) {
    public String name() {
      return topic.name();
    }
  }

  private final String prefix;
  private final Topic<String, JobManifest> jobs;
  private final Topic<String, UrlRequest> urls;
  private final Topic<String, String> urlText;
  private final Topic<String, Chunk> chunks;
  private final Topic<String, FetchOutcome> fetches;
  private final Topic<String, UrlResult> urlResults;
  private final Topic<String, JobResult> jobResults;
  private final Topic<String, JobCancellation> cancellations;
  private final Topic<byte[], byte[]> deadLetters;

  /** The topics named with {@code prefix}; {@link #of} takes it from the configuration. */
  public Topics(String prefix) {
    this.prefix = prefix;
    this.jobs = avro("jobs", JobManifest.class);
    this.urls = avro("urls", UrlRequest.class);
    this.urlText = new Topic<>(urls.name(), Serdes.String(), Serdes.String());
    this.chunks = avro("chunks", Chunk.class);
    this.fetches = avro("fetches", FetchOutcome.class);
    this.urlResults = avro("url-results", UrlResult.class);
    this.jobResults = avro("job-results", JobResult.class);
    this.cancellations = avro("cancellations", JobCancellation.class);
    this.deadLetters = new Topic<>(prefix + "dead-letters", Serdes.ByteArray(), Serdes.ByteArray());
  }

  public static Topics of(FetchStatsConfig config) {
    return new Topics(config.kafka().topicPrefix());
  }

  private <T extends SpecificRecord> Topic<String, T> avro(String name, Class<T> type) {
    return new Topic<>(prefix + name, Serdes.String(), AvroSerde.of(type));
  }

  public String prefix() {
    return prefix;
  }

  public Topic<String, JobManifest> jobs() {
    return jobs;
  }

  public Topic<String, UrlRequest> urls() {
    return urls;
  }

  /** The urls topic written as plain UTF-8 text, one URL a line, as any producer may. */
  public Topic<String, String> urlText() {
    return urlText;
  }

  public Topic<String, Chunk> chunks() {
    return chunks;
  }

  public Topic<String, FetchOutcome> fetches() {
    return fetches;
  }

  public Topic<String, UrlResult> urlResults() {
    return urlResults;
  }

  public Topic<String, JobResult> jobResults() {
    return jobResults;
  }

  /** The jobs cancelled: read whole by every ingest instance, and by the job aggregator. */
  public Topic<String, JobCancellation> cancellations() {
    return cancellations;
  }

  /** Keys and values as the records that could not be read had them; headers say why. */
  public Topic<byte[], byte[]> deadLetters() {
    return deadLetters;
  }

  public List<Definition> definitions() {
    return List.of(
        new Definition(jobs, "jobId", "JobManifest", false),
        new Definition(urls, "jobId", "UrlRequest, or UTF-8 text with one URL a line", false),
        new Definition(chunks, "jobId|url|requestId|seq", "Chunk", false),
        new Definition(fetches, "jobId|url|requestId", "FetchOutcome", false),
        new Definition(urlResults, "jobId|url", "UrlResult", true),
        new Definition(jobResults, "jobId", "JobResult", true),
        new Definition(cancellations, "jobId", "JobCancellation", true),
        new Definition(
            deadLetters,
            "the original key",
            "the original value; headers give the reason, source topic, partition and offset",
            false));
  }
}
