package io.fetchstats.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Runs the variants of a scenario: each once to warm up (JIT, connections), then all in turn, so
 * that the machine's drift touches them alike.
 */
final class Runs {
  /** One thing measured: its name in the progress lines, and a run that returns its value. */
  record Variant(String label, DoubleSupplier run) {}

  private Runs() {}

  /**
   * Warms each variant up once, runs {@code beforeRuns}, then runs them all in turn {@code runs}
   * times; tells {@code progress} each run's values.
   */
  static List<Measured> measure(
      PrintWriter progress,
      String scenario,
      int runs,
      List<Variant> variants,
      Runnable beforeRuns) {
    progress.printf("%s: warming up%n", scenario);
    progress.flush();
    variants.forEach(variant -> variant.run().getAsDouble());
    beforeRuns.run();
    List<List<Double>> values = new ArrayList<>();
    variants.forEach(variant -> values.add(new ArrayList<>()));
    for (int run = 1; run <= runs; run++) {
      StringBuilder line = new StringBuilder(Report.format("%s: run %d/%d:", scenario, run, runs));
      for (int i = 0; i < variants.size(); i++) {
        double value = variants.get(i).run().getAsDouble();
        values.get(i).add(value);
        line.append(Report.format(" %s %.3f;", variants.get(i).label(), value));
      }
      line.append(Report.format(" (load %.2f)", Report.loadAverage()));
      progress.println(line);
      progress.flush();
    }
    return values.stream().map(Measured::of).toList();
  }
}
