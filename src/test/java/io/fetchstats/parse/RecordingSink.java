package io.fetchstats.parse;

import java.util.ArrayList;
import java.util.List;

/** Records what a parser reports; field indices are stable across parse calls (by name). */
final class RecordingSink implements CellSink {

  enum Type {
    NUMBER,
    MISSING,
    NON_NUMERIC
  }

  /** One cell; record equality compares doubles like Double.compare (NaN == NaN, -0.0 != 0.0). */
  record Cell(String field, Type type, double value) {}

  final List<String> fields = new ArrayList<>();

  /** Every field() call, in order, so tests can check registration per chunk. */
  final List<String> fieldCalls = new ArrayList<>();

  final List<Cell> cells = new ArrayList<>();

  static Cell num(String field, double v) {
    return new Cell(field, Type.NUMBER, v);
  }

  static Cell missing(String field) {
    return new Cell(field, Type.MISSING, 0);
  }

  static Cell text(String field) {
    return new Cell(field, Type.NON_NUMERIC, 0);
  }

  @Override
  public int field(String name) {
    fieldCalls.add(name);
    int i = fields.indexOf(name);
    if (i < 0) {
      fields.add(name);
      i = fields.size() - 1;
    }
    return i;
  }

  @Override
  public void number(int field, double value) {
    cells.add(num(fields.get(field), value));
  }

  @Override
  public void missing(int field) {
    cells.add(missing(fields.get(field)));
  }

  @Override
  public void nonNumeric(int field) {
    cells.add(text(fields.get(field)));
  }
}
