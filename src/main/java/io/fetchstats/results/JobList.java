package io.fetchstats.results;

import io.fetchstats.avro.JobResult;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A page of jobs, newest first (by when they were submitted; a job without a manifest by its last
 * update), perhaps of one state only. Pages follow one another by the last job of the one before,
 * so a job submitted meanwhile does not shift the pages a reader is going through.
 *
 * @param next the job to ask for the jobs after, or null on the last page
 */
public record JobList(List<JobResult> jobs, String next) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  private static final Comparator<JobResult> NEWEST_FIRST =
      Comparator.comparing(JobList::since, Comparator.nullsLast(Comparator.reverseOrder()))
          .thenComparing(JobResult::getJobId);

  public JobList {
    jobs = List.copyOf(jobs);
  }

  /**
   * Up to {@code limit} of {@code all} in {@code state} (null: any), from the one after job {@code
   * after} (null: from the newest).
   *
   * @throws IllegalArgumentException if {@code after} is not one of {@code all}
   */
  public static JobList page(Collection<JobResult> all, JobState state, String after, int limit) {
    JobResult from = null;
    if (after != null) {
      from =
          all.stream()
              .filter(job -> job.getJobId().equals(after))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("no job " + after + " to page after"));
    }
    JobResult start = from;
    List<JobResult> page =
        all.stream()
            .filter(job -> state == null || JobState.of(job) == state)
            .filter(job -> start == null || NEWEST_FIRST.compare(job, start) > 0)
            .sorted(NEWEST_FIRST)
            .limit(limit + 1L)
            .toList();
    boolean more = page.size() > limit;
    List<JobResult> shown = more ? page.subList(0, limit) : page;
    return new JobList(shown, more ? shown.get(shown.size() - 1).getJobId() : null);
  }

  private static Long since(JobResult job) {
    return job.getSubmittedAt() != null ? job.getSubmittedAt() : job.getUpdatedAt();
  }
}
