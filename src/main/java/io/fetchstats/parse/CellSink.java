package io.fetchstats.parse;

/**
 * Receives the cells a parser finds. Implementations must be cheap: they are called once per cell
 * or token in the parsers' hot loops.
 */
public interface CellSink {
  /** Takes no cells: for reading input only to find its rows or whether it is broken. */
  CellSink NONE =
      new CellSink() {
        @Override
        public int field(String name) {
          return 0;
        }

        @Override
        public void number(int field, double value) {}

        @Override
        public void missing(int field) {}

        @Override
        public void nonNumeric(int field) {}
      };

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
