package io.fetchstats.process;

import io.fetchstats.parse.CellSink;
import io.fetchstats.stats.FieldAccumulator;
import io.fetchstats.stats.FieldStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where a parser puts its cells: one exact accumulator per field. Pure, no Kafka. */
public final class FieldCells implements CellSink {
  private final List<String> names = new ArrayList<>();
  private final List<FieldAccumulator> accumulators = new ArrayList<>();

  @Override
  public int field(String name) {
    names.add(name);
    accumulators.add(new FieldAccumulator());
    return names.size() - 1;
  }

  @Override
  public void number(int field, double value) {
    accumulators.get(field).add(value);
  }

  @Override
  public void missing(int field) {
    accumulators.get(field).addMissing();
  }

  @Override
  public void nonNumeric(int field) {
    accumulators.get(field).addNonNumeric();
  }

  /** Each field's statistics, in name order. */
  public Map<String, FieldStats> snapshot() {
    Map<String, FieldStats> fields = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      fields.merge(names.get(i), accumulators.get(i).snapshot(), FieldStats::merge);
    }
    return fields;
  }
}
