package io.fetchstats.domain;

import java.util.Objects;

/**
 * What is known of one URL request: its fetch outcome (once it arrived) and the exact merge of the
 * chunks counted. One event (a chunk's statistics, or the outcome) is an aggregate of its own;
 * {@link #merge} adds them up.
 *
 * <p>{@link #merge} is associative and commutative, with {@link #empty} of the request as identity,
 * in all it counts and in whether the request failed. Two things depend on the order of merges: the
 * outcome kept when both sides have one (a request has exactly one), and the failure's message and
 * class (the first chunk error merged, or the size at which the fields were found too many).
 *
 * @param outcome null until the fetch outcome arrived
 * @param fields empty once the request failed: a failed URL counts no cells
 * @param parseError the first error (in merge order) of a chunk that could not be parsed, or why
 *     the statistics of the body cannot be kept; null if none
 * @param errorClass the failure class of parseError (PARSE_ERROR when null)
 * @param fetchId the fetch of the request whose chunks and outcome these are (see {@link
 *     RequestFetches}); null from writers before fetch ids
 */
public record UrlAggregate(
    String jobId,
    String url,
    String requestId,
    FetchOutcome outcome,
    int chunksCounted,
    long rows,
    long raggedRows,
    Fields fields,
    String parseError,
    String errorClass,
    Long fetchId) {

  public UrlAggregate {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(fields, "fields");
    if (parseError != null) {
      // A failed URL counts no cells: not those a chunk read before its input broke off, nor
      // statistics over the limits.
      fields = Fields.EMPTY;
    }
  }

  /** The request's fetch {@code fetchId} before any of its events. */
  public static UrlAggregate empty(String jobId, String url, String requestId, Long fetchId) {
    return new UrlAggregate(
        jobId, url, requestId, null, 0, 0, 0, Fields.EMPTY, null, null, fetchId);
  }

  /** Whether {@code other} is of the same fetch of the request as this. */
  public boolean sameFetch(UrlAggregate other) {
    return Objects.equals(fetchId, other.fetchId);
  }

  /**
   * This without its cells, which its result and its job hold once it is complete: what the
   * processor keeps of a complete request, to know the late events of its other fetches.
   */
  public UrlAggregate withoutCells() {
    return new UrlAggregate(
        jobId,
        url,
        requestId,
        outcome,
        chunksCounted,
        rows,
        raggedRows,
        Fields.EMPTY,
        parseError,
        errorClass,
        fetchId);
  }

  /**
   * Both merged: counts added, fields merged by name. Statistics over the limits fail the URL
   * ({@link Fields#tooMany}): whether they do depends on all its chunks, not their order.
   */
  public UrlAggregate merge(UrlAggregate other) {
    if (!sameFetch(other)) {
      throw new IllegalArgumentException(
          "fetches " + fetchId + " and " + other.fetchId + " of a request do not merge");
    }
    UrlAggregate failed = parseError != null ? this : other;
    String error = failed.parseError;
    String failure = failed.errorClass;
    Fields merged = Fields.EMPTY;
    if (error == null) {
      merged = fields.merge(other.fields);
      String tooMany = merged.tooMany();
      if (tooMany != null) {
        error = "the body holds " + tooMany;
        failure = FailureClass.TOO_MANY_FIELDS.name();
      }
    }
    return new UrlAggregate(
        jobId,
        url,
        requestId,
        outcome != null ? outcome : other.outcome,
        chunksCounted + other.chunksCounted,
        rows + other.rows,
        raggedRows + other.raggedRows,
        merged,
        error,
        failure,
        fetchId);
  }

  /** Whether the outcome arrived and as many chunks as it announced are counted. */
  public boolean isComplete() {
    return outcome != null && chunksCounted >= outcome.chunkCount();
  }

  /** Whether the request repeats a URL its job listed before (see FetchOutcome.duplicateOf). */
  public boolean isDuplicate() {
    return outcome != null && outcome.duplicateOf() != null;
  }

  /** Why the request, once its outcome arrived, gives no statistics, or null when it succeeded. */
  public UrlFailure failure() {
    if (!outcome.ok()) {
      return new UrlFailure(url, outcome.errorClass(), outcome.error());
    }
    if (parseError != null) {
      String failure = errorClass == null ? FailureClass.PARSE_ERROR.name() : errorClass;
      return new UrlFailure(url, failure, parseError);
    }
    if (fields.numbers() == 0) {
      return new UrlFailure(
          url,
          FailureClass.NO_NUMBERS.name(),
          "no numbers in "
              + outcome.bytes()
              + " bytes ("
              + fields.nonNumericCells()
              + " non-numeric and "
              + fields.missingCells()
              + " missing cells)");
    }
    return null;
  }

  /**
   * Whether the cells of a completed URL with this failure (null: none) count, in its result and
   * its job: a body without numbers was read whole, so its cells count (as non-numeric or missing);
   * a failed fetch or parse may have published part of a body, which depends on where the body was
   * cut (broken JSON is cut wherever a chunk fills up): none of it counts.
   */
  public static boolean cellsCount(UrlFailure failure) {
    return failure == null || FailureClass.NO_NUMBERS.name().equals(failure.errorClass());
  }
}
