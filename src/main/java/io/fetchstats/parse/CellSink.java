package io.fetchstats.parse;

/**
 * Receives the cells a parser finds. Implementations must be cheap: they are called once per cell
 * or token in the parsers' hot loops.
 */
public interface CellSink {

  /**
   * Called once per distinct field name per parse call, before any cell of it; returns the index
   * the parser passes with that field's cells (the sink decides).
   */
  int field(String name);

  /** A number, or a non-finite token passed as NaN / ±Infinity (including overflowing literals). */
  void number(int field, double value);

  /** An empty cell (CSV), or a cell absent from a short row. */
  void missing(int field);

  /** A cell or token that is not a number under {@link NumberGrammar}. */
  void nonNumeric(int field);
}
