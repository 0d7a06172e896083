package io.fetchstats.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SketchTest {
  private static final double[] QUANTILES = {0, 0.25, 0.5, 0.75, 0.95, 0.99, 1};

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void everyQuantileIsWithinOnePercentOfNumpysValue(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[1 + random.nextInt(5000)];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          switch ((int) (seed % 4)) {
            case 0 -> random.nextGaussian() * 15 + 100;
            case 1 -> Math.exp(random.nextDouble(-30, 30)) * (random.nextBoolean() ? 1 : -1);
            case 2 -> random.nextInt(-50, 50);
            default -> random.nextDouble() < 0.2 ? 0.0 : random.nextDouble(-1e6, 1e6);
          };
    }
    double[] estimates = Reference.accumulate(values).quantiles(QUANTILES);
    double[] sorted = values.clone();
    Arrays.sort(sorted);

    for (int q = 0; q < QUANTILES.length; q++) {
      double rank = QUANTILES[q] * (sorted.length - 1);
      double low = sorted[(int) Math.floor(rank)];
      double high = sorted[(int) Math.ceil(rank)];
      double truth = low + (high - low) * (rank - Math.floor(rank));
      // The interpolation of two values each within 1%: within 1% of the larger magnitude.
      assertThat(Math.abs(estimates[q] - truth))
          .as("q=%s: %s for %s (%s..%s)", QUANTILES[q], estimates[q], truth, low, high)
          .isLessThanOrEqualTo(
              Sketch.RELATIVE_ACCURACY * 1.0000001 * Math.max(Math.abs(low), Math.abs(high)));
    }
  }

  @Test
  void theRankIsInterpolatedNotRoundedDown() {
    // Issue 15: numpy gives 7.95 and 8.79; the old rank q·(n−1) rounded down gave 6 for both.
    double[] percentiles = Reference.accumulate(3, 1, 4, 1, 5, 9, 2, 6).quantiles(0.95, 0.99);

    assertThat(percentiles[0]).isCloseTo(7.95, withinPercentage(1));
    assertThat(percentiles[1]).isCloseTo(8.79, withinPercentage(1));
  }

  private static boolean withinAccuracy(double estimate, double truth) {
    // A hair over 1% for the rounding of the bucket's value.
    return Math.abs(estimate - truth) <= Sketch.RELATIVE_ACCURACY * 1.0000001 * Math.abs(truth);
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.MAX_VALUE, -Double.MAX_VALUE})
  void theLargestDoublesReadAsTheLargestBucket(double edge) {
    FieldStats stats = Reference.accumulate(edge, 1.0);

    double extreme = stats.quantiles(edge > 0 ? 1 : 0)[0];
    assertThat(withinAccuracy(extreme, edge)).as("%s for %s", extreme, edge).isTrue();
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.MIN_VALUE, -1e-310, 0.0, -0.0})
  void valuesTooCloseToZeroForABucketCountAsZero(double tiny) {
    FieldStats stats = Reference.accumulate(tiny, 1.0);

    assertThat(stats.sketch().zeroCount()).isEqualTo(1);
    // The first rank is the exact min; the zero bucket reads as 0, kept within [min, max].
    assertThat(stats.quantiles(0)[0]).isEqualTo(tiny);
    assertThat(Reference.accumulate(-1, tiny, 1).quantiles(0.5)[0]).isEqualTo(0.0);
  }

  @Test
  void percentilesStayWithinTheExactMinAndMax() {
    // 1050's bucket has a value above 1050 (and 960's one below 960) within 1%.
    double[] values = new double[100];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < 50 ? 960 : 1050;
    }
    double[] percentiles = Reference.accumulate(values).quantiles(0, 0.25, 0.5, 0.95, 1);

    // The median is numpy's: halfway between ranks 49 (960) and 50 (1050).
    assertThat(percentiles).containsExactly(960, 960, 1005, 1050, 1050);
  }
}
