package io.fetchstats.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchstats.avro.FieldResult;
import io.fetchstats.avro.Histogram;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.avro.UrlResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a job result as one line of JSON for programs. Field names are those of the Avro schema
 * (schemas/JobResult.avsc); numbers are JSON numbers, absent values null.
 */
public final class ResultsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultsJson() {}

  public static String render(JobResult job) {
    Map<String, Object> out = summary(job);
    out.put("urlsDuplicate", job.getUrlsDuplicate());
    out.put("chunks", job.getChunks());
    out.put("raggedRows", job.getRaggedRows());
    out.put("format", job.getFormat());
    out.put("cancelledAt", text(job.getCancelledAt()));
    out.put("fields", job.getFields().stream().map(ResultsJson::field).toList());
    out.put("fieldsOmittedFrom", job.getFieldsOmittedFrom());
    out.put("failures", job.getFailures().stream().map(ResultsJson::failure).toList());
    return write(out);
  }

  /**
   * A page of jobs, without their fields and failures: {@code {"jobs": [...], "next": ...}} (see
   * {@link JobList}).
   */
  public static String render(JobList list) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobs", list.jobs().stream().map(ResultsJson::summary).toList());
    out.put("next", list.next());
    return write(out);
  }

  /** What a list of jobs shows of one: its state, counts and times. */
  private static Map<String, Object> summary(JobResult job) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobId", job.getJobId());
    out.put("state", JobState.of(job).label());
    out.put("complete", job.getComplete());
    out.put("cancelled", job.getCancelledAt() != null);
    out.put("urlsExpected", job.getUrlsExpected());
    out.put("urlsCompleted", job.getUrlsCompleted());
    out.put("urlsSucceeded", job.getUrlsSucceeded());
    out.put("urlsFailed", job.getUrlsFailed());
    out.put("urlsCancelled", job.getUrlsCancelled());
    out.put("bytes", job.getBytes());
    out.put("rows", job.getRows());
    out.put("submittedAt", text(job.getSubmittedAt()));
    out.put("updatedAt", text(job.getUpdatedAt()));
    out.put("retryOf", job.getRetryOf());
    return out;
  }

  /** Epoch milliseconds as ISO-8601, which JSON readers parse; null stays null. */
  private static String text(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }

  /**
   * One URL's result as one line of JSON: the fields of schemas/UrlResult.avsc but the job id, its
   * fields as in a job's result.
   */
  public static String render(UrlResult url) {
    return write(url(url));
  }

  /**
   * A page of a job's URL results: {@code {"urls": [...], "next": ...}}, where next is the last URL
   * of a full page (to ask for the URLs after it) and null on the last page.
   */
  public static String renderUrlPage(List<UrlResult> urls, String next) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("urls", urls.stream().map(ResultsJson::url).toList());
    out.put("next", next);
    return write(out);
  }

  private static Map<String, Object> url(UrlResult url) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("url", url.getUrl());
    out.put("complete", url.getComplete());
    out.put("ok", url.getOk());
    out.put("status", url.getStatus());
    out.put("errorClass", url.getErrorClass());
    out.put("error", url.getError());
    out.put("bytes", url.getBytes());
    out.put("sha256", url.getSha256());
    out.put("latencyMs", url.getLatencyMs());
    out.put("chunksExpected", url.getChunksExpected());
    out.put("chunksCounted", url.getChunksCounted());
    out.put("rows", url.getRows());
    out.put("raggedRows", url.getRaggedRows());
    out.put("fields", url.getFields().stream().map(ResultsJson::field).toList());
    return out;
  }

  /** Statistics of numbers analyzed on their own: rows and fields as in a job's result. */
  public static String renderFields(long rows, List<FieldResult> fields) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", rows);
    out.put("fields", fields.stream().map(ResultsJson::field).toList());
    return write(out);
  }

  /** Plain values (maps, lists, strings, numbers) as JSON. */
  public static String write(Object out) {
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of plain values always serialises", e);
    }
  }

  private static Map<String, Object> field(FieldResult field) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", field.getName());
    out.put("count", field.getCount());
    out.put("missing", field.getMissing());
    out.put("nonNumeric", field.getNonNumeric());
    out.put("nonFinite", field.getNonFinite());
    out.put("sum", finiteOrText(field.getSum()));
    out.put("mean", nullable(field.getMean()));
    out.put("min", nullable(field.getMin()));
    out.put("max", nullable(field.getMax()));
    out.put("variancePopulation", nullable(field.getVariancePopulation()));
    out.put("varianceSample", nullable(field.getVarianceSample()));
    out.put("stddevPopulation", nullable(field.getStddevPopulation()));
    out.put("stddevSample", nullable(field.getStddevSample()));
    out.put("p25", nullable(field.getP25()));
    out.put("p50", nullable(field.getP50()));
    out.put("p75", nullable(field.getP75()));
    out.put("p95", nullable(field.getP95()));
    out.put("p99", nullable(field.getP99()));
    out.put("percentileRelativeAccuracy", field.getPercentileRelativeAccuracy());
    out.put("percentilesExact", field.getPercentilesExact());
    out.put("histogram", field.getHistogram() == null ? null : histogram(field.getHistogram()));
    return out;
  }

  private static Map<String, Object> histogram(Histogram histogram) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("min", histogram.getMin());
    out.put("max", histogram.getMax());
    out.put("counts", histogram.getCounts());
    return out;
  }

  private static Object nullable(Double value) {
    return value == null ? null : finiteOrText(value);
  }

  /** JSON has no infinities: an overflowing sum is written as the string "Infinity". */
  private static Object finiteOrText(double value) {
    return Double.isFinite(value) ? value : Double.toString(value);
  }

  /** One failed URL as one line of JSON: url, errorClass, error. */
  public static String render(UrlFailure failure) {
    return write(failure(failure));
  }

  private static Map<String, Object> failure(UrlFailure failure) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("url", failure.getUrl());
    out.put("errorClass", failure.getErrorClass());
    out.put("error", failure.getError());
    return out;
  }
}
