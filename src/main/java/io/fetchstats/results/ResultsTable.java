package io.fetchstats.results;

import io.fetchstats.avro.FieldResult;
import io.fetchstats.avro.JobResult;
import io.fetchstats.avro.UrlFailure;
import io.fetchstats.stats.ValueCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a job result as a table for people. */
public final class ResultsTable {
  private static final String[] COLUMNS = {
    "field",
    "count",
    "mean",
    "std",
    "min",
    "p50",
    "p95",
    "p99",
    "max",
    "sum",
    "missing",
    "non-numeric",
    "non-finite"
  };

  private ResultsTable() {}

  public static String render(JobResult job) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Job %s: %s%n", job.getJobId(), status(job)));
    out.append(
        String.format(
            Locale.ROOT,
            "URLs: %d succeeded, %d failed%s; %s in %d chunk%s, %d rows%n%n",
            job.getUrlsSucceeded(),
            job.getUrlsFailed(),
            job.getUrlsDuplicate() == 0
                ? ""
                : ", " + job.getUrlsDuplicate() + " listed twice (counted once)",
            bytes(job.getBytes()),
            job.getChunks(),
            job.getChunks() == 1 ? "" : "s",
            job.getRows()));
    List<String[]> rows = new ArrayList<>();
    rows.add(COLUMNS);
    for (FieldResult field : job.getFields()) {
      rows.add(
          new String[] {
            field.getName(),
            Long.toString(field.getCount()),
            number(field.getMean()),
            number(field.getStddevSample()),
            number(field.getMin()),
            percentile(field.getP50(), field),
            percentile(field.getP95(), field),
            percentile(field.getP99(), field),
            number(field.getMax()),
            number(field.getSum()),
            Long.toString(field.getMissing()),
            Long.toString(field.getNonNumeric()),
            Long.toString(field.getNonFinite())
          });
    }
    out.append(table(rows));
    if (job.getFields().stream().anyMatch(ResultsTable::fromSketch)) {
      out.append(
          String.format(
              Locale.ROOT,
              "~ percentiles from the sketch (over %,d distinct values), within 1%%; the others are"
                  + " exact.%n",
              ValueCounts.LIMIT));
    }
    if (job.getFieldsOmittedFrom() != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "Fields from '%s' on (in name order) are left out: the job's statistics would not"
                  + " fit a record.%n",
              job.getFieldsOmittedFrom()));
    }
    if (!job.getFailures().isEmpty()) {
      out.append(String.format(Locale.ROOT, "%nFailures (%d):%n", job.getUrlsFailed()));
      for (UrlFailure failure : job.getFailures()) {
        out.append("  ").append(render(failure)).append(System.lineSeparator());
      }
      if (job.getUrlsFailed() > job.getFailures().size()) {
        out.append(
            String.format(
                Locale.ROOT,
                "  ... and %d more%n",
                job.getUrlsFailed() - job.getFailures().size()));
      }
    }
    return out.toString();
  }

  private static String status(JobResult job) {
    String expected = job.getUrlsExpected() == null ? "?" : job.getUrlsExpected().toString();
    String progress = job.getUrlsCompleted() + "/" + expected + " URLs done";
    if (job.getComplete()) {
      return "complete (" + progress + ")";
    }
    return job.getUrlsExpected() == null ? "open-ended, " + progress : "in progress, " + progress;
  }

  private static String table(List<String[]> rows) {
    int[] widths = new int[COLUMNS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        String cell = row[i];
        // Names left-aligned, numbers right-aligned.
        out.append(i == 0 ? pad(cell, widths[i], false) : "  " + pad(cell, widths[i], true));
      }
      out.append(System.lineSeparator());
    }
    return out.toString();
  }

  private static String pad(String text, int width, boolean right) {
    String spaces = " ".repeat(width - text.length());
    return right ? spaces + text : text + spaces;
  }

  /** A percentile, marked with ~ when it comes from the sketch rather than exact counts. */
  private static String percentile(Double value, FieldResult field) {
    return value != null && fromSketch(field) ? "~" + number(value) : number(value);
  }

  private static boolean fromSketch(FieldResult field) {
    return Boolean.FALSE.equals(field.getPercentilesExact());
  }

  static String number(Double value) {
    if (value == null) {
      return "-";
    }
    double v = value;
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    double magnitude = Math.abs(v);
    return magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e9)
        ? String.format(Locale.ROOT, "%.6g", v)
        : String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** One failed URL on a line: the URL, its failure class and the reason. */
  public static String render(UrlFailure failure) {
    return failure.getUrl() + "  " + failure.getErrorClass() + ": " + failure.getError();
  }
}
