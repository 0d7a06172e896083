package io.fetchstats.domain;

/**
 * What a job's manifest and its cancellation say of it, beyond its counts: when it was submitted,
 * with which format, as a retry of which job, and when it was cancelled. Times are epoch
 * milliseconds; each part is null until known.
 */
public record JobTerms(Long submittedAt, String format, String retryOf, Long cancelledAt) {
  public static final JobTerms NONE = new JobTerms(null, null, null, null);

  /** A cancellation at {@code cancelledAt}. */
  public static JobTerms cancelled(long cancelledAt) {
    return new JobTerms(null, null, null, cancelledAt);
  }

  /**
   * Both: the manifest's parts as the first known (a job has one manifest), and the earliest
   * cancellation (one cancelled twice was cancelled at the first).
   */
  public JobTerms merge(JobTerms other) {
    return new JobTerms(
        submittedAt != null ? submittedAt : other.submittedAt,
        format != null ? format : other.format,
        retryOf != null ? retryOf : other.retryOf,
        cancelledAt == null || other.cancelledAt == null
            ? (cancelledAt != null ? cancelledAt : other.cancelledAt)
            : Long.valueOf(Math.min(cancelledAt, other.cancelledAt)));
  }

  public boolean isCancelled() {
    return cancelledAt != null;
  }
}
