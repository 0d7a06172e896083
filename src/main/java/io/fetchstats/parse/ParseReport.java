package io.fetchstats.parse;

/**
 * What a parse call saw besides the cells.
 *
 * @param rows data rows (CSV, header excluded, blank lines excluded), lines holding at least one
 *     token (text), elements of the top-level array or 1 for another value (JSON), non-blank lines
 *     (NDJSON)
 * @param raggedRows bad rows: CSV rows with more cells than there are fields (the extra cells are
 *     ignored), NDJSON lines that are not valid JSON (none of their cells count)
 * @param error why the input broke off, with the byte offset (within the parsed range) where it
 *     did: the cells before it were reported, the rest was not read; null if it was read whole
 */
public record ParseReport(long rows, long raggedRows, String error) {

  /** A report of input read whole. */
  public ParseReport(long rows, long raggedRows) {
    this(rows, raggedRows, null);
  }
}
