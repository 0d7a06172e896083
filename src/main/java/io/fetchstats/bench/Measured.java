package io.fetchstats.bench;

import java.util.List;

/** The median and range of one quantity over a benchmark's runs. */
record Measured(double median, double min, double max) {
  static Measured of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no runs to summarise");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    double median =
        sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    return new Measured(median, sorted[0], sorted[sorted.length - 1]);
  }
}
