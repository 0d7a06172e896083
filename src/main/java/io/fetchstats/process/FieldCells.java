package io.fetchstats.process;

import io.fetchstats.parse.CellSink;
import io.fetchstats.stats.FieldAccumulator;
import io.fetchstats.stats.FieldStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a parser puts its cells: one exact accumulator per field. Pure, no Kafka. {@link #clear}
 * makes it ready for the next chunk, keeping the accumulators of its first {@value #KEPT_FIELDS}
 * fields to reuse.
 */
public final class FieldCells implements CellSink {
  /** Kept accumulators hold up to ~200 KiB each; wider input makes its further ones anew. */
  static final int KEPT_FIELDS = 32;

  private final int maxFields;
  private final List<String> names = new ArrayList<>();
  // An array rather than a list: one load and bounds check per cell in the parsers' hot loops.
  private FieldAccumulator[] accumulators = new FieldAccumulator[4];

  /** Cells of any number of fields. */
  public FieldCells() {
    this(Integer.MAX_VALUE);
  }

  /** Input of more distinct fields than the sink takes. */
  public static final class TooManyFieldsException extends IllegalArgumentException {
    TooManyFieldsException(int maxFields) {
      super("more than " + maxFields + " distinct fields");
    }
  }

  /**
   * Cells of at most {@code maxFields} fields: one more fails with a {@link
   * TooManyFieldsException}, so that input of a million distinct keys cannot fill the heap with
   * accumulators.
   */
  public FieldCells(int maxFields) {
    this.maxFields = maxFields;
  }

  @Override
  public int field(String name) {
    int field = names.size();
    if (field == maxFields) {
      throw new TooManyFieldsException(maxFields);
    }
    names.add(name);
    if (field == accumulators.length) {
      accumulators = Arrays.copyOf(accumulators, 2 * field);
    }
    FieldAccumulator kept = accumulators[field];
    if (kept == null) {
      accumulators[field] = new FieldAccumulator();
    } else {
      kept.reset();
    }
    return field;
  }

  /** Forgets every field and cell, as a new instance would have none. */
  public void clear() {
    names.clear();
    if (accumulators.length > KEPT_FIELDS) {
      accumulators = Arrays.copyOf(accumulators, KEPT_FIELDS);
    }
  }

  @Override
  public void number(int field, double value) {
    accumulators[field].add(value);
  }

  @Override
  public void missing(int field) {
    accumulators[field].addMissing();
  }

  @Override
  public void nonNumeric(int field) {
    accumulators[field].addNonNumeric();
  }

  /** Each field's statistics, in name order. */
  public Map<String, FieldStats> snapshot() {
    Map<String, FieldStats> fields = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      fields.merge(names.get(i), accumulators[i].snapshot(), FieldStats::merge);
    }
    return fields;
  }
}
