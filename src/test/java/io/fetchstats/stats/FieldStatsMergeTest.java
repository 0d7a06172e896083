package io.fetchstats.stats;

import static io.fetchstats.stats.Reference.accumulate;
import static io.fetchstats.stats.Reference.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FieldStatsMergeTest {

  @Test
  void mergeLaws() {
    SplittableRandom rnd = new SplittableRandom(42L);
    for (int run = 0; run < 300; run++) {
      FieldStats a = randomStats(rnd);
      FieldStats b = randomStats(rnd);
      FieldStats c = randomStats(rnd);
      assertThat(a.merge(b).merge(c))
          .as("associativity, run %d", run)
          .isEqualTo(a.merge(b.merge(c)));
      assertThat(a.merge(b)).as("commutativity, run %d", run).isEqualTo(b.merge(a));
      assertThat(a.merge(FieldStats.EMPTY)).as("right identity, run %d", run).isEqualTo(a);
      assertThat(FieldStats.EMPTY.merge(a)).as("left identity, run %d", run).isEqualTo(a);
    }
  }

  @Test
  void anySplitMergedInAnyOrderGivesTheSameRecord() {
    SplittableRandom seeds = new SplittableRandom(7L);
    for (int run = 0; run < 300; run++) {
      long seed = seeds.nextLong();
      SplittableRandom rnd = new SplittableRandom(seed);
      Cell[] xs = withNoise(rnd, Data.dataSet(rnd));
      FieldStats whole = stats(xs);

      // Adding in another order gives the same record.
      Cell[] shuffled = xs.clone();
      shuffle(shuffled, rnd);
      assertThat(stats(shuffled)).as("seed %d: shuffled", seed).isEqualTo(whole);

      // Random chunks (possibly empty), merged as a random tree in random order.
      List<FieldStats> parts = new ArrayList<>();
      int from = 0;
      while (from < shuffled.length) {
        if (rnd.nextInt(4) == 0) {
          parts.add(stats(new Cell[0]));
        }
        int to = Math.min(shuffled.length, from + rnd.nextInt(1, 2 + shuffled.length / 3));
        parts.add(stats(Arrays.copyOfRange(shuffled, from, to)));
        from = to;
      }
      while (parts.size() > 1) {
        FieldStats left = parts.remove(rnd.nextInt(parts.size()));
        FieldStats right = parts.remove(rnd.nextInt(parts.size()));
        parts.add(rnd.nextInt(parts.size() + 1), left.merge(right));
      }
      FieldStats merged = parts.isEmpty() ? FieldStats.EMPTY : parts.get(0);
      assertThat(merged).as("seed %d: merged chunks", seed).isEqualTo(whole);
      assertSameOutputs(merged, whole, "seed " + seed);
    }
  }

  @Test
  void mergeMatchesBigDecimalOfTheUnion() {
    SplittableRandom rnd = new SplittableRandom(99L);
    for (int run = 0; run < 100; run++) {
      double[] a = Data.dataSet(rnd);
      double[] b = Data.dataSet(rnd);
      double[] union = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, union, a.length, b.length);
      Reference.of(union).assertMatches(accumulate(a).merge(accumulate(b)), "run " + run);
    }
  }

  private static void assertSameOutputs(FieldStats actual, FieldStats expected, String what) {
    assertSameBits(actual.sum(), expected.sum(), what + ": sum");
    assertSameBits(actual.mean(), expected.mean(), what + ": mean");
    assertSameBits(actual.minimum(), expected.minimum(), what + ": min");
    assertSameBits(actual.maximum(), expected.maximum(), what + ": max");
    assertSameBits(
        actual.populationVariance(), expected.populationVariance(), what + ": population variance");
    assertSameBits(actual.sampleVariance(), expected.sampleVariance(), what + ": sample variance");
    assertSameBits(
        actual.populationStddev(), expected.populationStddev(), what + ": population stddev");
    assertSameBits(actual.sampleStddev(), expected.sampleStddev(), what + ": sample stddev");
  }

  /** A cell of a chunk: a value, a missing cell or a non-numeric cell. */
  private record Cell(int kind, double x) {}

  private static final int VALUE = 0;
  private static final int MISSING = 1;
  private static final int NON_NUMERIC = 2;

  /** Values from {@link Data}, with some NaN/Inf, missing and non-numeric cells mixed in. */
  private static Cell[] withNoise(SplittableRandom rnd, double[] xs) {
    Cell[] out = new Cell[xs.length];
    for (int k = 0; k < xs.length; k++) {
      int roll = rnd.nextInt(20);
      if (roll == 0) {
        out[k] = new Cell(VALUE, Double.NaN);
      } else if (roll == 1) {
        out[k] =
            new Cell(
                VALUE, rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
      } else if (roll == 2) {
        out[k] = new Cell(MISSING, 0);
      } else if (roll == 3) {
        out[k] = new Cell(NON_NUMERIC, 0);
      } else {
        out[k] = new Cell(VALUE, xs[k]);
      }
    }
    return out;
  }

  private static FieldStats stats(Cell[] cells) {
    FieldAccumulator acc = new FieldAccumulator();
    for (Cell c : cells) {
      switch (c.kind()) {
        case MISSING -> acc.addMissing();
        case NON_NUMERIC -> acc.addNonNumeric();
        default -> acc.add(c.x());
      }
    }
    return acc.snapshot();
  }

  private static FieldStats randomStats(SplittableRandom rnd) {
    return rnd.nextInt(10) == 0 ? FieldStats.EMPTY : stats(withNoise(rnd, Data.dataSet(rnd)));
  }

  private static void shuffle(Cell[] xs, SplittableRandom rnd) {
    for (int k = xs.length - 1; k > 0; k--) {
      int j = rnd.nextInt(k + 1);
      Cell t = xs[k];
      xs[k] = xs[j];
      xs[j] = t;
    }
  }
}
