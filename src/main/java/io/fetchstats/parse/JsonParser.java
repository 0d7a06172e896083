package io.fetchstats.parse;

import java.util.Objects;

/**
 * One JSON document (RFC 8259, UTF-8, a leading byte order mark tolerated), read in one pass.
 *
 * <ul>
 *   <li>A field is the path of a value with array indices dropped: {@code [].delay} in a top-level
 *       array of objects, {@code data[].price} in {@code {"data":[{"price":1}]}}, {@code a.b} for
 *       nested objects, {@code []} for a top-level array of numbers, {@code [][]} for arrays of
 *       arrays. Escapes in keys are decoded. A scalar document is the field {@value
 *       JsonPaths#ROOT_FIELD}.
 *   <li>Number tokens are numbers (too large for a double: ±Infinity); strings, even holding
 *       digits, and {@code true}/{@code false} are non-numeric; {@code null} is missing. Objects
 *       and arrays are not cells.
 *   <li>Broken JSON (truncated, a bad token, an invalid escape, bytes after the value, nesting
 *       deeper than {@value JsonReader#MAX_DEPTH}) ends the parse: the cells before the error are
 *       reported, and the report's error says what broke where.
 * </ul>
 */
public final class JsonParser {

  private JsonParser() {}

  /**
   * Parses the document {@code data[offset, offset + length)}. {@code rows} counts the elements of
   * a top-level array, or 1 for any other value.
   */
  public static ParseReport parse(byte[] data, int offset, int length, CellSink sink) {
    Objects.checkFromIndexSize(offset, length, data.length);
    Objects.requireNonNull(sink, "sink");
    return JsonReader.document(data, offset, offset + length, sink);
  }
}
