package io.fetchstats.api;

import io.fetchstats.ingest.JobSubmitter;
import io.fetchstats.ingest.JobSubmitter.JobIdTakenException;
import io.fetchstats.ingest.JobSubmitter.Submission;
import io.fetchstats.parse.Format;
import java.util.List;

/**
 * Where the jobs API submits jobs. {@link JobSubmitter} writes them to Kafka in one transaction
 * each; a test keeps them in memory.
 */
public interface JobSink extends AutoCloseable {
  /**
   * @throws JobIdTakenException if {@code jobId} was submitted before
   */
  void requireNew(String jobId);

  /**
   * Submits the URLs of {@code lines} (a URL list) as job {@code jobId}, their bodies parsed as
   * {@code format} (null: as their responses say).
   *
   * @throws IllegalArgumentException if the list has no URLs, or one too long
   * @throws IllegalStateException once closed
   */
  Submission submit(String jobId, List<String> lines, Format format);

  /** Submissions after this fail. */
  @Override
  void close();
}
