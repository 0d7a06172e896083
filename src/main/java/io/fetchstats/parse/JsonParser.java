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

  /**
   * Where a JSON body may be cut into chunks that each parse alone: the index of the last comma in
   * {@code data[from, to)} that separates two elements of the top-level array starting at {@code
   * from}, or -1 if there is none or the body is not an array. Only strings, escapes and nesting
   * are tracked. The bytes before the comma closed with {@code ]}, and those after it opened with
   * {@code [}, parse to the same cells and rows as the whole body; as a comma only counts after an
   * element and once the next element has begun, no cut can hide an empty element ({@code [1,,2]},
   * {@code [1,]}) for which the whole body would be broken.
   */
  public static int lastElementSeparator(byte[] data, int from, int to) {
    Objects.checkFromToIndex(from, to, data.length);
    int p = skipWhitespace(data, CsvParser.skipBom(data, from, to), to);
    if (p == to || data[p] != '[') {
      return -1;
    }
    int depth = 1;
    boolean element = false; // whether the current element has begun
    int separator = -1; // the comma after it, while the next one has not begun
    int last = -1;
    for (p++; p < to; p++) {
      byte c = data[p];
      if (JsonReader.isWhitespace(c)) {
        continue;
      }
      if (depth == 1) {
        if (c == ',') {
          separator = element ? p : -1;
          element = false;
          continue;
        }
        if (c == ']' || c == '}') {
          return last; // the array ends: nothing after it may be cut
        }
        if (separator >= 0) {
          last = separator;
          separator = -1;
        }
        element = true;
      }
      if (c == '"') {
        for (p++; p < to && data[p] != '"'; p++) {
          if (data[p] == '\\') {
            p++;
          }
        }
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
      }
    }
    return last;
  }

  /** Whether the document in {@code data[from, to)} is an array, by its first byte. */
  public static boolean isArray(byte[] data, int from, int to) {
    Objects.checkFromToIndex(from, to, data.length);
    int p = skipWhitespace(data, CsvParser.skipBom(data, from, to), to);
    return p < to && data[p] == '[';
  }

  /** Past the spaces, tabs and line ends at {@code p} (JSON's whitespace: blank lines too). */
  static int skipWhitespace(byte[] b, int p, int to) {
    while (p < to && JsonReader.isWhitespace(b[p])) {
      p++;
    }
    return p;
  }
}
