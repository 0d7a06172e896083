package io.fetchstats.domain;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What is known of one job: the URL count its manifest announced, and the exact merge of its
 * completed URL requests. One event (a manifest, or a completed request) is an aggregate of its
 * own; {@link #merge} adds them up.
 *
 * <p>{@link #merge} is associative and commutative, with {@link #empty} of the job as identity, but
 * for the URL count when two manifests announce different ones (the left side's is kept). The
 * fields kept and the failures listed do not depend on the order: see {@link #merge}.
 *
 * @param urlsExpected from the manifest; null until it arrived, or for an open-ended job
 * @param urlsCancelled URLs that ended CANCELLED (counted among the failed too)
 * @param urlsDuplicate URLs listed again in the job: fetched and counted once, under their first
 *     listing
 * @param fields the fields whose names sort before fieldsOmittedFrom
 * @param failures the failed URLs first in {@link UrlFailure#LISTING_ORDER}, at most a configured
 *     number
 * @param fieldsOmittedFrom fields whose names sort at or after this one are left out, so that the
 *     job's statistics fit a record; null when none is
 * @param terms what its manifest and cancellation say
 */
public record JobAggregate(
    String jobId,
    Integer urlsExpected,
    int urlsCompleted,
    int urlsFailed,
    int urlsCancelled,
    int urlsDuplicate,
    long bytes,
    long chunks,
    long rows,
    long raggedRows,
    Fields fields,
    List<UrlFailure> failures,
    String fieldsOmittedFrom,
    JobTerms terms) {

  public JobAggregate {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(fields, "fields");
    Objects.requireNonNull(terms, "terms");
    failures = List.copyOf(failures);
  }

  /** The job before any of its events. */
  public static JobAggregate empty(String jobId) {
    return of(jobId, null, JobTerms.NONE);
  }

  /** A job whose manifest announced {@code urlCount} URLs, and said {@code terms}. */
  public static JobAggregate ofManifest(String jobId, int urlCount, JobTerms terms) {
    return of(jobId, urlCount, terms);
  }

  /** A job cancelled at {@code cancelledAt} (epoch milliseconds). */
  public static JobAggregate ofCancellation(String jobId, long cancelledAt) {
    return of(jobId, null, JobTerms.cancelled(cancelledAt));
  }

  private static JobAggregate of(String jobId, Integer urlCount, JobTerms terms) {
    return new JobAggregate(
        jobId, urlCount, 0, 0, 0, 0, 0, 0, 0, 0, Fields.EMPTY, List.of(), null, terms);
  }

  /**
   * A job of one completed request: counted as a duplicate only if it {@code repeats} a URL the job
   * counts under another request; its cells only if they count (see {@link
   * UrlAggregate#cellsCount}).
   */
  public static JobAggregate ofUrl(UrlAggregate url, boolean repeats) {
    if (repeats) {
      return new JobAggregate(
          url.jobId(), null, 1, 0, 0, 1, 0, 0, 0, 0, Fields.EMPTY, List.of(), null, JobTerms.NONE);
    }
    UrlFailure failure = url.failure();
    boolean cellsCount = UrlAggregate.cellsCount(failure);
    return new JobAggregate(
        url.jobId(),
        null,
        1,
        failure == null ? 0 : 1,
        failure != null && FailureClass.CANCELLED.name().equals(failure.errorClass()) ? 1 : 0,
        0,
        url.outcome().bytes(),
        url.chunksCounted(),
        cellsCount ? url.rows() : 0,
        cellsCount ? url.raggedRows() : 0,
        cellsCount ? url.fields() : Fields.EMPTY,
        failure == null ? List.of() : List.of(failure.shortened()),
        null,
        JobTerms.NONE);
  }

  /**
   * Both merged: counts added, fields merged by name, at most {@code maxFailuresListed} failures
   * listed.
   *
   * <p>Fields keep the first in name order that fit a record (see {@link Fields#firstLeftOut});
   * those from the first left out on are left out of every later merge too. Merges only grow
   * statistics, so a field left out of a part is left out of the whole: what is kept does not
   * depend on the order in which URLs complete.
   */
  public JobAggregate merge(JobAggregate other, int maxFailuresListed) {
    String omittedFrom = first(fieldsOmittedFrom, other.fieldsOmittedFrom);
    Fields merged = fields.before(omittedFrom).merge(other.fields.before(omittedFrom));
    String leftOut = merged.firstLeftOut();
    List<UrlFailure> listed =
        Stream.concat(failures.stream(), other.failures.stream())
            .sorted(UrlFailure.LISTING_ORDER)
            .limit(maxFailuresListed)
            .toList();
    return new JobAggregate(
        jobId,
        urlsExpected != null ? urlsExpected : other.urlsExpected,
        urlsCompleted + other.urlsCompleted,
        urlsFailed + other.urlsFailed,
        urlsCancelled + other.urlsCancelled,
        urlsDuplicate + other.urlsDuplicate,
        bytes + other.bytes,
        chunks + other.chunks,
        rows + other.rows,
        raggedRows + other.raggedRows,
        merged.before(leftOut),
        listed,
        leftOut != null ? leftOut : omittedFrom,
        terms.merge(other.terms));
  }

  /** The name that sorts first, null (none) sorting last. */
  private static String first(String a, String b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Whether the manifest arrived and as many URL requests as it announced completed. */
  public boolean isComplete() {
    return urlsExpected != null && urlsCompleted >= urlsExpected;
  }

  /** Completed URLs that neither failed nor repeat another. */
  public int urlsSucceeded() {
    return urlsCompleted - urlsFailed - urlsDuplicate;
  }
}
