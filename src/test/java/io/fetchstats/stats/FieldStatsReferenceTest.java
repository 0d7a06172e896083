package io.fetchstats.stats;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every rounded output is bit-identical to an independent BigDecimal computation. */
class FieldStatsReferenceTest {

  @Test
  void randomDataSetsMatchBigDecimal() {
    SplittableRandom seeds = new SplittableRandom(20240501L);
    for (int run = 0; run < 800; run++) {
      long seed = seeds.nextLong();
      double[] xs = Data.dataSet(new SplittableRandom(seed));
      Reference.of(xs).assertMatches(Reference.accumulate(xs), "seed " + seed);
    }
  }

  @Test
  void eachKindAloneMatchesBigDecimal() {
    for (int kind = 0; kind < Data.KINDS; kind++) {
      SplittableRandom rnd = new SplittableRandom(1000L + kind);
      for (int run = 0; run < 40; run++) {
        double[] xs = new double[rnd.nextInt(1, 60)];
        for (int k = 0; k < xs.length; k++) {
          xs[k] = Data.value(rnd, kind);
        }
        Reference.of(xs).assertMatches(Reference.accumulate(xs), "kind " + kind + " run " + run);
      }
    }
  }

  @Test
  void handPickedDataSetsMatchBigDecimal() {
    double[][] sets = {
      {1e308, 1, -1e308},
      {1e308, 1e308, -1e308, -1e308, 1e-308},
      {0.1, 0.2, 0.3},
      {1e16, 1, -1e16, 1},
      {9007199254740992.0, 1.0, 1.0},
      {9007199254740993.0, -9007199254740992.0},
      {Double.MIN_VALUE, Double.MIN_VALUE, Double.MIN_VALUE},
      {Double.MIN_VALUE, 0.0},
      {Double.MIN_VALUE, -Double.MIN_VALUE},
      {Double.MAX_VALUE, Double.MIN_VALUE, -Double.MAX_VALUE},
      {Double.MAX_VALUE, -Double.MAX_VALUE},
      {1e200, -1e200, 1e-200},
      {1e154, 1e154, 1e154},
      {1e-160, 2e-160, 3e-160},
      {1.0000000000000002, 1.0, 1.0000000000000004},
      {100000.1, 100000.2, 100000.3, 100000.4},
    };
    for (int k = 0; k < sets.length; k++) {
      Reference.of(sets[k]).assertMatches(Reference.accumulate(sets[k]), "set " + k);
    }
  }
}
