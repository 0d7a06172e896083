package io.fetchstats.process;

import io.fetchstats.avro.FieldResult;
import io.fetchstats.parse.Format;
import io.fetchstats.parse.ParseReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The statistics of one JSON document given whole, parsed and computed by the very code that
 * processes a fetched body, so that a value analyzed here and one fetched get the same result.
 * Pure: no Kafka here.
 *
 * @param rows elements of the top-level array
 * @param fields one per field, as in a job's result (a plain array of numbers has one)
 */
public record Analysis(long rows, List<FieldResult> fields) {
  /** Far more than data of numbers has; bounds the memory one request can take. */
  public static final int MAX_FIELDS = 1000;

  /**
   * Analyzes a JSON array: of numbers, or of objects whose numbers are fields by their path.
   *
   * @throws IllegalArgumentException if the input is not a whole JSON array, or has more than
   *     {@link #MAX_FIELDS} fields
   */
  public static Analysis ofJsonArray(byte[] json) {
    int start = 0;
    while (start < json.length && isJsonSpace(json[start])) {
      start++;
    }
    if (start == json.length || json[start] != '[') {
      throw new IllegalArgumentException("expected a JSON array, such as [1, 2.5, 3]");
    }
    FieldCells cells = new FieldCells(MAX_FIELDS);
    ParseReport report = Format.JSON.parse(json, 0, json.length, null, true, cells);
    if (report.error() != null) {
      throw new IllegalArgumentException("invalid JSON: " + report.error());
    }
    List<FieldResult> fields = new ArrayList<>();
    cells.snapshot().forEach((name, stats) -> fields.add(StatsCodec.result(name, stats)));
    return new Analysis(report.rows(), fields);
  }

  private static boolean isJsonSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
