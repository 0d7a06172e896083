package io.fetchstats.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Carry propagation, made reachable with small normalisation intervals. */
class FieldAccumulatorNormalisationTest {

  private static final int[] INTERVALS = {
    1, 2, 3, 5, 31, 1000, FieldAccumulator.DEFAULT_NORMALISE_INTERVAL
  };

  @Test
  void everyIntervalGivesTheExactResult() {
    SplittableRandom seeds = new SplittableRandom(314L);
    for (int run = 0; run < 150; run++) {
      long seed = seeds.nextLong();
      double[] xs = Data.dataSet(new SplittableRandom(seed));
      Reference reference = Reference.of(xs);
      FieldStats expected = Reference.accumulate(xs);
      for (int interval : INTERVALS) {
        FieldStats actual = accumulate(interval, xs);
        assertThat(actual).as("seed %d, interval %d", seed, interval).isEqualTo(expected);
        reference.assertMatches(actual, "seed " + seed + ", interval " + interval);
      }
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
   * or alternating: digits grow (or swing) by almost 2^32 per add and must be carried exactly, with
   * and without normalisations in between.
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
      for (int interval :
          new int[] {1 << 20, 12_345, FieldAccumulator.DEFAULT_NORMALISE_INTERVAL}) {
        FieldAccumulator same = new FieldAccumulator(interval);
        FieldAccumulator negated = new FieldAccumulator(interval);
        FieldAccumulator alternating = new FieldAccumulator(interval);
        for (int k = 0; k < n; k++) {
          same.add(x);
          negated.add(-x);
          alternating.add((k & 1) == 0 ? x : -x / 2);
        }
        String what = "p " + p + ", interval " + interval;
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
  void intervalIsValidated() {
    assertThatThrownBy(() -> new FieldAccumulator(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FieldAccumulator(FieldAccumulator.DEFAULT_NORMALISE_INTERVAL + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static FieldStats accumulate(int interval, double[] xs) {
    FieldAccumulator acc = new FieldAccumulator(interval);
    for (double x : xs) {
      acc.add(x);
    }
    return acc.snapshot();
  }
}
