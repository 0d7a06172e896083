package io.fetchstats.bench;

import io.fetchstats.avro.FieldResult;
import io.fetchstats.avro.JobResult;
import io.fetchstats.samples.GeneratedBody;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * What a job of generated CSV bodies must add up to, worked out from the bodies the server serves
 * without the project's parser or statistics: the generator writes every number with a fixed number
 * of decimals, so each column is summed exactly as a long in those units, and a sum, mean, min or
 * max is one division of two doubles that hold their values exactly, so correctly rounded, as the
 * pipeline's must be.
 */
final class ServedCsv {
  /** A column of numbers: its name and decimals, as the generator writes it. */
  private record Column(String name, int decimals) {}

  private static final List<Column> NUMBERS =
      List.of(new Column("id", 0), new Column("value", 2), new Column("score", 3));
  private static final String LABEL = "label";

  /** Count, sum, min and max of a column in its units (10^-decimals). */
  private record Totals(long count, long sum, long min, long max) {
    static final Totals EMPTY = new Totals(0, 0, Long.MAX_VALUE, Long.MIN_VALUE);

    Totals plus(Totals other, long times) {
      return new Totals(
          count + times * other.count,
          sum + times * other.sum,
          Math.min(min, other.min),
          Math.max(max, other.max));
    }
  }

  private final long urls;
  private final long bytes;
  private final long rows;
  private final Map<String, Totals> columns;

  private ServedCsv(long urls, long bytes, long rows, Map<String, Totals> columns) {
    this.urls = urls;
    this.bytes = bytes;
    this.rows = rows;
    this.columns = columns;
  }

  /**
   * A job of {@code urls} CSV bodies of {@code maxBytes}, the i-th generated from {@code seed(i)}.
   */
  static ServedCsv of(int urls, long maxBytes, IntUnaryOperator seed) {
    Map<Integer, Integer> urlsOfSeed = new LinkedHashMap<>();
    for (int i = 0; i < urls; i++) {
      urlsOfSeed.merge(seed.applyAsInt(i), 1, Integer::sum);
    }
    long bytes = 0;
    long rows = 0;
    Map<String, Totals> columns = new LinkedHashMap<>();
    NUMBERS.forEach(column -> columns.put(column.name(), Totals.EMPTY));
    for (Map.Entry<Integer, Integer> entry : urlsOfSeed.entrySet()) {
      int times = entry.getValue();
      byte[] body = GeneratedBody.of(GeneratedBody.Kind.CSV, entry.getKey()).bytes(maxBytes);
      List<String> lines = new String(body, StandardCharsets.US_ASCII).lines().toList();
      if (!lines.get(0).equals("id,value,score,label")) {
        throw new IllegalStateException("not the generated CSV: " + lines.get(0));
      }
      bytes += (long) times * body.length;
      rows += (long) times * (lines.size() - 1);
      for (int c = 0; c < NUMBERS.size(); c++) {
        Column column = NUMBERS.get(c);
        int index = c;
        LongSummaryStatistics values =
            lines.subList(1, lines.size()).stream()
                .mapToLong(line -> Long.parseLong(line.split(",")[index].replace(".", "")))
                .summaryStatistics();
        Totals ofBody =
            new Totals(values.getCount(), values.getSum(), values.getMin(), values.getMax());
        columns.merge(column.name(), ofBody, (all, one) -> all.plus(one, times));
      }
    }
    return new ServedCsv(urls, bytes, rows, Map.copyOf(columns));
  }

  long rows() {
    return rows;
  }

  long bytes() {
    return bytes;
  }

  /**
   * What {@code result} gets wrong of this job (its URLs, bytes, rows, each column's count, sum,
   * mean, min and max, the labels counted non-numeric), or an empty list if nothing.
   */
  List<String> errors(JobResult result) {
    List<String> errors = new ArrayList<>();
    check(errors, "complete", true, result.getComplete());
    check(errors, "urlsSucceeded", urls, (long) result.getUrlsSucceeded());
    check(errors, "bytes", bytes, result.getBytes());
    check(errors, "rows", rows, result.getRows());
    Map<String, FieldResult> fields = new LinkedHashMap<>();
    result.getFields().forEach(field -> fields.put(field.getName(), field));
    check(errors, "fields", List.of("id", LABEL, "score", "value"), List.copyOf(fields.keySet()));
    for (Column column : NUMBERS) {
      FieldResult field = fields.get(column.name());
      if (field == null) {
        continue;
      }
      Totals totals = columns.get(column.name());
      double unit = Math.pow(10, column.decimals());
      String name = column.name() + ".";
      check(errors, name + "count", totals.count(), field.getCount());
      check(errors, name + "sum", totals.sum() / unit, field.getSum());
      check(errors, name + "mean", totals.sum() / (unit * totals.count()), field.getMean());
      check(errors, name + "min", totals.min() / unit, field.getMin());
      check(errors, name + "max", totals.max() / unit, field.getMax());
    }
    FieldResult label = fields.get(LABEL);
    if (label != null) {
      check(errors, "label.nonNumeric", rows, label.getNonNumeric());
    }
    return errors;
  }

  private static void check(List<String> errors, String what, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      errors.add(what + ": expected " + expected + ", got " + actual);
    }
  }
}
