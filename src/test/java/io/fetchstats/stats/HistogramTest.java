package io.fetchstats.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistogramTest {

  @Test
  void valuesFarFromBinEdgesAreCountedInTheirBins() {
    // 20 bins of width 5 over [0, 100]; bin k gets k + 1 values at its centre, which is more than
    // the sketch's 1% away from either edge.
    List<Double> values = new ArrayList<>(List.of(0.0, 100.0));
    for (int k = 0; k < 20; k++) {
      values.addAll(Collections.nCopies(k + 1, 2.5 + 5 * k));
    }

    Histogram histogram = Reference.accumulate(unboxed(values)).histogram().orElseThrow();

    assertThat(histogram.min()).isEqualTo(0.0);
    assertThat(histogram.max()).isEqualTo(100.0);
    List<Long> expected = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      expected.add(k + 1L + (k == 0 || k == 19 ? 1 : 0));
    }
    assertThat(histogram.counts()).isEqualTo(expected);
  }

  @Test
  void negativeZeroAndPositiveValuesShareTheBins() {
    Histogram histogram =
        Reference.accumulate(-10, -10, -9.5, 0, 0, 0, 0.5, 9.5, 10).histogram().orElseThrow();

    assertThat(histogram.counts()).hasSize(Histogram.BINS);
    assertThat(histogram.counts().get(0)).isEqualTo(3);
    assertThat(histogram.counts().get(10)).isEqualTo(4);
    assertThat(histogram.counts().get(19)).isEqualTo(2);
  }

  @Test
  void equalValuesMakeOneBin() {
    Histogram histogram = Reference.accumulate(7.25, 7.25, 7.25).histogram().orElseThrow();

    assertThat(histogram).isEqualTo(new Histogram(7.25, 7.25, List.of(3L)));
    assertThat(Reference.accumulate(0, 0, 0).histogram().orElseThrow().counts())
        .containsExactly(3L);
    assertThat(Reference.accumulate(-0.0, 0.0).histogram().orElseThrow().counts())
        .containsExactly(2L);
  }

  @Test
  void fromTheSketchARangeNarrowAgainstItsValuesGetsOnlyTheBinsItCanTellApart() {
    double[] narrow = DoubleStream.iterate(1000, x -> x + 0.001).limit(1001).toArray();
    double[] tenPercent = DoubleStream.iterate(1000, x -> x + 0.1).limit(1001).toArray();

    assertThat(sketchHistogram(Reference.accumulate(narrow)).counts()).containsExactly(1001L);
    // 1000 to 1100: bins of at least 2% of 1100, so 4 of them.
    assertThat(sketchHistogram(Reference.accumulate(tenPercent)).counts()).hasSize(4);
  }

  @Test
  void exactCountsBinEveryValueInItsOwnBin() {
    // 1000, 1000 + 1/16, ..., 1001.25, each exactly on a bin's lower edge: in that bin, however
    // narrow the range.
    double[] values =
        DoubleStream.iterate(0, k -> k + 1).limit(21).map(k -> 1000 + k / 16).toArray();

    Histogram histogram = Reference.accumulate(values).histogram().orElseThrow();

    // Bin k is [1000 + k/16, 1000 + (k+1)/16); the last one also holds the max.
    assertThat(histogram.counts()).hasSize(Histogram.BINS);
    assertThat(histogram.counts().subList(0, Histogram.BINS - 1)).containsOnly(1L);
    assertThat(histogram.counts().get(Histogram.BINS - 1)).isEqualTo(2L);
  }

  private static Histogram sketchHistogram(FieldStats stats) {
    return Histogram.of(stats.sketch(), stats.min(), stats.max(), Histogram.BINS);
  }

  @Test
  void aFieldWithoutValuesHasNone() {
    assertThat(FieldStats.EMPTY.histogram()).isEmpty();
  }

  @Test
  void theWidestRangeOfDoublesStillBins() {
    Histogram histogram =
        Reference.accumulate(-Double.MAX_VALUE, 0, Double.MAX_VALUE).histogram().orElseThrow();

    assertThat(histogram.counts().get(0)).isEqualTo(1);
    assertThat(histogram.counts().get(10)).isEqualTo(1);
    assertThat(histogram.counts().get(19)).isEqualTo(1);
    assertThat(histogram.counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void countsAddUpAndDoNotDependOnHowValuesWereGrouped(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values =
        DoubleStream.generate(() -> Math.exp(random.nextDouble(-5, 5)) * (random.nextInt(3) - 1))
            .limit(1 + random.nextInt(3000))
            .toArray();
    int split = random.nextInt(values.length + 1);

    FieldStats whole = Reference.accumulate(values);
    FieldStats merged =
        Reference.accumulate(Arrays.copyOfRange(values, split, values.length))
            .merge(Reference.accumulate(Arrays.copyOfRange(values, 0, split)));

    Histogram histogram = whole.histogram().orElseThrow();
    assertThat(histogram.counts().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(values.length);
    assertThat(merged.histogram()).contains(histogram);
  }

  private static double[] unboxed(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void aValueIsBinnedAsExactArithmeticBinsItAlsoOnAndNearTheEdges() {
    SplittableRandom random = new SplittableRandom(21L);
    for (int run = 0; run < 20_000; run++) {
      double min = run % 3 == 0 ? random.nextDouble(-1e6, 1e6) : random.nextInt(-50, 50) / 8.0;
      double max =
          min + (run % 5 == 0 ? random.nextDouble(1e-300, 1e-3) : random.nextInt(1, 400) / 4.0);
      int bins = 1 + random.nextInt(Histogram.BINS);
      Histogram.ExactBinning binning = new Histogram.ExactBinning(min, max, bins);
      // Random values, the edges between bins and their neighbouring doubles, and the extremes.
      double edge = min + (max - min) * random.nextInt(bins + 1) / bins;
      for (double value :
          new double[] {
            random.nextDouble(min, max), edge, Math.nextUp(edge), Math.nextDown(edge), min, max
          }) {
        if (value >= min && value <= max) {
          assertThat(binning.bin(value))
              .as("%s in [%s, %s] in %d bins", value, min, max, bins)
              .isEqualTo(binning.exactBin(value));
        }
      }
    }
  }
}
