package io.fetchstats.parse;

import java.util.Objects;

/**
 * NDJSON / JSON Lines: one JSON value per line, each read as a {@link JsonParser} document whose
 * fields drop the per-line {@code []}: line {@code {"delay":5}} is the field {@code delay}. Lines
 * end at LF (a CR before it is white space); blank lines are skipped; a byte order mark at the
 * start of a line is skipped.
 */
public final class NdjsonParser {

  private NdjsonParser() {}

  /**
   * Parses the lines of {@code data[offset, offset + length)}. {@code rows} counts non-blank lines;
   * those that are not valid JSON are also counted in {@code raggedRows} and report no cells.
   */
  public static ParseReport parse(byte[] data, int offset, int length, CellSink sink) {
    Objects.checkFromIndexSize(offset, length, data.length);
    Objects.requireNonNull(sink, "sink");
    return JsonReader.lines(data, offset, offset + length, sink);
  }
}
