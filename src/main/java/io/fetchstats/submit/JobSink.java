package io.fetchstats.submit;

import io.fetchstats.parse.Format;
import io.fetchstats.submit.JobSubmitter.JobIdTakenException;
import io.fetchstats.submit.JobSubmitter.Submission;
import java.util.List;

/**
 * Where the jobs API submits and cancels jobs. {@link JobSubmitter} writes them to Kafka in one
 * transaction each; a test keeps them in memory.
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
  default Submission submit(String jobId, List<String> lines, Format format) {
    return submit(jobId, lines, format, null);
  }

  /**
   * Submits the URLs of {@code lines} as job {@code jobId}, a retry of job {@code retryOf} (null: a
   * job of its own).
   *
   * @throws IllegalArgumentException if the list has no URLs, or one too long
   * @throws IllegalStateException once closed
   */
  Submission submit(String jobId, List<String> lines, Format format, String retryOf);

  /**
   * Cancels job {@code jobId}: its URLs not fetched yet end CANCELLED (ingest publishes that
   * outcome instead of fetching them); those fetched keep their results.
   *
   * @throws IllegalStateException once closed
   */
  void cancel(String jobId);

  /** Submissions after this fail. */
  @Override
  void close();
}
