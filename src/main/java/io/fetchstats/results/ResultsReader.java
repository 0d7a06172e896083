package io.fetchstats.results;

import io.fetchstats.avro.JobResult;
import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.kafka.KeyReader;
import io.fetchstats.kafka.Topic;
import io.fetchstats.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one job's results from the job-results topic (read-committed). */
public final class ResultsReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultsReader.class);

  private final KeyReader reader;
  private final Topic<String, JobResult> topic;

  public ResultsReader(FetchStatsConfig config, String jobId) {
    this.topic = Topics.of(config).jobResults();
    this.reader = new KeyReader(config, topic, jobId);
  }

  /** The job's latest result, or empty if the topic holds none (yet); call it once. */
  public Optional<JobResult> latest() {
    return newest(reader.readToEnd());
  }

  /**
   * Follows the job's results until one says it is complete or the deadline passes, calling {@code
   * onUpdate} for each; returns the last one (complete or not), or empty if none came.
   */
  public Optional<JobResult> awaitComplete(Duration timeout, Consumer<JobResult> onUpdate) {
    Instant deadline = Instant.now().plus(timeout);
    Optional<JobResult> latest = latest();
    latest.ifPresent(onUpdate);
    while (latest.map(result -> !result.getComplete()).orElse(true)
        && Instant.now().isBefore(deadline)) {
      Optional<JobResult> newer = newest(reader.poll());
      if (newer.isPresent()) {
        latest = newer;
        onUpdate.accept(newer.get());
      }
    }
    return latest;
  }

  private Optional<JobResult> newest(List<byte[]> values) {
    JobResult newest = null;
    for (byte[] value : values) {
      try {
        newest = topic.decode(value);
      } catch (SerializationException e) {
        log.warn("Skipping an unreadable record on {}: {}", topic.name(), e.getMessage());
      }
    }
    return Optional.ofNullable(newest);
  }

  @Override
  public void close() {
    reader.close();
  }
}
