package io.fetchstats.parse;

/**
 * What a parse call saw besides the cells.
 *
 * @param rows data rows (CSV, header excluded, blank lines excluded) or lines holding at least one
 *     token (text)
 * @param raggedRows CSV rows with more cells than there are fields (the extra cells are ignored)
 */
public record ParseReport(long rows, long raggedRows) {}
