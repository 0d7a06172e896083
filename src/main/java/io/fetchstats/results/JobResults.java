package io.fetchstats.results;

import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlResult;
import java.util.List;
import java.util.Optional;

/**
 * The results the jobs API serves: each job's latest result and its URLs' results, a page at a
 * time. {@link ResultsStore} answers from Kafka Streams' global stores; a test answers from memory.
 */
public interface JobResults {
  /** The job's latest result, if it has one. */
  Optional<JobResult> job(String jobId);

  /**
   * The latest result of every job; its fields and failures may be left out (a list shows neither).
   */
  List<JobResult> jobs();

  /**
   * Up to {@code limit} URL results of the job that {@code filter} wants, in URL order, starting
   * after {@code afterUrl} (null: from the first).
   */
  List<UrlResult> urls(String jobId, String afterUrl, int limit, UrlFilter filter);
}
