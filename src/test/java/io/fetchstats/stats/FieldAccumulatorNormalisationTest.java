package io.fetchstats.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Carry propagation and batch boundaries, made frequent with small batches. */
class FieldAccumulatorNormalisationTest {

  private static final int[] BATCH_SIZES = {1, 2, 3, 5, 31, 100, FieldAccumulator.DEFAULT_BATCH};

  @Test
  void everyBatchSizeGivesTheExactResult() {
    SplittableRandom seeds = new SplittableRandom(314L);
    for (int run = 0; run < 150; run++) {
      long seed = seeds.nextLong();
      double[] xs = Data.dataSet(new SplittableRandom(seed));
      Reference reference = Reference.of(xs);
      FieldStats expected = Reference.accumulate(xs);
      for (int batchSize : BATCH_SIZES) {
        FieldStats actual = accumulate(batchSize, xs);
        assertThat(actual).as("seed %d, batch size %d", seed, batchSize).isEqualTo(expected);
        reference.assertMatches(actual, "seed " + seed + ", batch size " + batchSize);
      }
    }
  }

  /**
   * Batches whose values lie a few binades below their largest, across the edge of the range that
   * is summed in local accumulators, at every scale from subnormal to huge.
   */
  @Test
  void valuesAroundTheEdgeOfTheBatchWindow() {
    SplittableRandom rnd = new SplittableRandom(1618L);
    for (int top : new int[] {-1074, -1060, -1022, -1000, -3, 0, 6, 52, 1000, 1023}) {
      double[] xs = new double[3 * FieldAccumulator.DEFAULT_BATCH + 17];
      for (int k = 0; k < xs.length; k++) {
        double scale = Math.scalb(1.0, Math.max(-1074, top - rnd.nextInt(14)));
        xs[k] = (rnd.nextBoolean() ? 1 : -1) * scale * rnd.nextDouble(1.0, 2.0);
      }
      Reference reference = Reference.of(xs);
      FieldStats actual = accumulate(FieldAccumulator.DEFAULT_BATCH, xs);
      BigDecimal scale = new BigDecimal(BigInteger.TWO.pow(1074));
      assertThat(actual.scaledSum())
          .as("top %d: exact sum", top)
          .isEqualTo(reference.sum.multiply(scale).toBigIntegerExact());
      assertThat(actual.scaledSumOfSquares())
          .as("top %d: exact sum of squares", top)
          .isEqualTo(reference.sumOfSquares.multiply(scale).multiply(scale).toBigIntegerExact());
      reference.assertMatches(actual, "top " + top);
    }
  }

  @Test
  void snapshotsBetweenAddsDoNotDisturbTheState() {
    SplittableRandom rnd = new SplittableRandom(2718L);
    double[] xs = Data.dataSet(rnd);
    FieldAccumulator acc = new FieldAccumulator(7);
    for (int k = 0; k < xs.length; k++) {
      acc.add(xs[k]);
      double[] prefix = Arrays.copyOf(xs, k + 1);
      assertThat(acc.snapshot()).as("prefix %d", k + 1).isEqualTo(Reference.accumulate(prefix));
    }
  }

  /**
   * Two million adds whose pieces are close to 2^32 in the digits they touch, with all signs equal
   * or alternating: digits grow (or swing) by almost 2^32 per add and must be carried exactly, at
   * any batch size.
   */
  @Test
  void largePiecesAreCarriedExactly() {
    long m = (1L << 53) - 1;
    int n = 2_000_000;
    BigInteger count = BigInteger.valueOf(n);
    BigInteger pairs = BigInteger.valueOf(n / 2);
    // Offsets p ≡ 11 (mod 32) fill both low pieces of m << (p & 31) with ones.
    for (int p : new int[] {11, 1035, 2027}) {
      double x = Math.scalb((double) m, p - 1074); // exactly m · 2^(p - 1074)
      BigInteger scaled = BigInteger.valueOf(m).shiftLeft(p);
      BigInteger halfScaled = scaled.shiftRight(1); // -x / 2 is exact
      for (int batchSize : new int[] {1, 7, FieldAccumulator.DEFAULT_BATCH}) {
        FieldAccumulator same = new FieldAccumulator(batchSize);
        FieldAccumulator negated = new FieldAccumulator(batchSize);
        FieldAccumulator alternating = new FieldAccumulator(batchSize);
        for (int k = 0; k < n; k++) {
          same.add(x);
          negated.add(-x);
          alternating.add((k & 1) == 0 ? x : -x / 2);
        }
        String what = "p " + p + ", batch size " + batchSize;
        FieldStats s = same.snapshot();
        assertThat(s.scaledSum()).as(what).isEqualTo(scaled.multiply(count));
        assertThat(s.scaledSumOfSquares())
            .as(what)
            .isEqualTo(scaled.multiply(scaled).multiply(count));
        assertThat(s.populationVariance()).as(what).hasValue(0.0);

        FieldStats neg = negated.snapshot();
        assertThat(neg.scaledSum()).as(what).isEqualTo(scaled.multiply(count).negate());
        assertThat(neg.scaledSumOfSquares()).as(what).isEqualTo(s.scaledSumOfSquares());

        FieldStats alt = alternating.snapshot();
        assertThat(alt.scaledSum()).as(what).isEqualTo(scaled.subtract(halfScaled).multiply(pairs));
        assertThat(alt.scaledSumOfSquares())
            .as(what)
            .isEqualTo(
                scaled.multiply(scaled).add(halfScaled.multiply(halfScaled)).multiply(pairs));
      }
    }
  }

  @Test
  void batchSizeIsValidated() {
    assertThatThrownBy(() -> new FieldAccumulator(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FieldAccumulator(FieldAccumulator.DEFAULT_BATCH + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static FieldStats accumulate(int batchSize, double[] xs) {
    FieldAccumulator acc = new FieldAccumulator(batchSize);
    for (double x : xs) {
      acc.add(x);
    }
    return acc.snapshot();
  }
}
