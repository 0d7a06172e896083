package io.fetchstats.stats;

import static io.fetchstats.stats.Reference.accumulate;
import static io.fetchstats.stats.Reference.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class FieldStatsEdgeCaseTest {

  @Test
  void emptyHasZeroSumAndNothingElse() {
    for (FieldStats s : new FieldStats[] {FieldStats.EMPTY, new FieldAccumulator().snapshot()}) {
      assertThat(s).isEqualTo(FieldStats.EMPTY);
      assertSameBits(s.sum(), 0.0, "sum");
      assertThat(s.mean()).isEmpty();
      assertThat(s.minimum()).isEmpty();
      assertThat(s.maximum()).isEmpty();
      assertThat(s.populationVariance()).isEmpty();
      assertThat(s.sampleVariance()).isEmpty();
      assertThat(s.populationStddev()).isEmpty();
      assertThat(s.sampleStddev()).isEmpty();
      assertThat(s.min()).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(s.max()).isEqualTo(Double.NEGATIVE_INFINITY);
    }
  }

  @Test
  void oneValue() {
    FieldStats s = accumulate(-2.5);
    assertThat(s.count()).isEqualTo(1);
    assertSameBits(s.sum(), -2.5, "sum");
    assertSameBits(s.mean(), OptionalDouble.of(-2.5), "mean");
    assertSameBits(s.minimum(), OptionalDouble.of(-2.5), "min");
    assertSameBits(s.maximum(), OptionalDouble.of(-2.5), "max");
    assertSameBits(s.populationVariance(), OptionalDouble.of(0.0), "population variance");
    assertSameBits(s.populationStddev(), OptionalDouble.of(0.0), "population stddev");
    assertThat(s.sampleVariance()).isEmpty();
    assertThat(s.sampleStddev()).isEmpty();
  }

  @Test
  void allNegativeMaxIsLargestNegative() {
    FieldStats s = accumulate(-5.0, -1e-300, -3.0);
    assertSameBits(s.maximum(), OptionalDouble.of(-1e-300), "max");
    assertSameBits(s.minimum(), OptionalDouble.of(-5.0), "min");
    FieldStats big = accumulate(-Double.MAX_VALUE, -1e300);
    assertSameBits(big.maximum(), OptionalDouble.of(-1e300), "max");
  }

  @Test
  void negativeZero() {
    FieldStats onlyNegativeZeros = accumulate(-0.0, -0.0);
    assertSameBits(onlyNegativeZeros.sum(), 0.0, "sum of -0.0");
    assertSameBits(onlyNegativeZeros.mean(), OptionalDouble.of(0.0), "mean of -0.0");
    assertSameBits(onlyNegativeZeros.minimum(), OptionalDouble.of(-0.0), "min");
    assertSameBits(onlyNegativeZeros.maximum(), OptionalDouble.of(-0.0), "max");
    assertSameBits(onlyNegativeZeros.populationVariance(), OptionalDouble.of(0.0), "variance");

    for (FieldStats mixed :
        new FieldStats[] {
          accumulate(-0.0, 0.0),
          accumulate(0.0, -0.0),
          accumulate(0.0).merge(accumulate(-0.0)),
          accumulate(-0.0).merge(accumulate(0.0))
        }) {
      assertSameBits(mixed.minimum(), OptionalDouble.of(-0.0), "min of {-0.0, +0.0}");
      assertSameBits(mixed.maximum(), OptionalDouble.of(0.0), "max of {-0.0, +0.0}");
      assertSameBits(mixed.sum(), 0.0, "sum of {-0.0, +0.0}");
    }
    assertSameBits(accumulate(1.5, -1.5).sum(), 0.0, "exact cancellation");
    assertSameBits(
        accumulate(1.5, -1.5).mean(), OptionalDouble.of(0.0), "mean of exact cancellation");
  }

  @Test
  void nonFiniteValuesAreCountedAndExcluded() {
    FieldAccumulator acc = new FieldAccumulator();
    acc.add(Double.NaN);
    acc.add(1.0);
    acc.add(Double.POSITIVE_INFINITY);
    acc.add(3.0);
    acc.add(Double.NEGATIVE_INFINITY);
    acc.add(Double.longBitsToDouble(0xFFF8_0000_0000_0001L)); // a NaN with another payload
    FieldStats s = acc.snapshot();
    assertThat(s.count()).isEqualTo(2);
    assertThat(s.nonFinite()).isEqualTo(4);
    assertThat(s)
        .isEqualTo(
            accumulate(1.0, 3.0)
                .merge(
                    new FieldStats(
                        0,
                        0,
                        0,
                        4,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        Sketch.EMPTY,
                        ValueCounts.NONE)));
    assertSameBits(s.sum(), 4.0, "sum");
    assertSameBits(s.mean(), OptionalDouble.of(2.0), "mean");
    assertSameBits(s.minimum(), OptionalDouble.of(1.0), "min");
    assertSameBits(s.maximum(), OptionalDouble.of(3.0), "max");
    assertSameBits(s.populationVariance(), OptionalDouble.of(1.0), "population variance");
    assertSameBits(s.sampleVariance(), OptionalDouble.of(2.0), "sample variance");

    FieldAccumulator onlyBad = new FieldAccumulator();
    onlyBad.add(Double.NaN);
    FieldStats bad = onlyBad.snapshot();
    assertThat(bad.count()).isZero();
    assertThat(bad.nonFinite()).isEqualTo(1);
    assertThat(bad.mean()).isEmpty();
    assertThat(bad.minimum()).isEmpty();
  }

  @Test
  void overflowOnlyWhenTheExactSumOverflows() {
    double max = Double.MAX_VALUE;
    assertSameBits(accumulate(max, max).sum(), Double.POSITIVE_INFINITY, "MAX + MAX");
    assertSameBits(accumulate(-max, -max).sum(), Double.NEGATIVE_INFINITY, "-MAX - MAX");
    assertSameBits(accumulate(max, max, -max).sum(), max, "MAX + MAX - MAX");
    assertSameBits(accumulate(max, max).mean(), OptionalDouble.of(max), "mean of MAX, MAX");
    assertSameBits(accumulate(max, max, -max).mean(), OptionalDouble.of(max / 3), "mean");
    // The squares overflow as doubles but not the exact sums.
    assertSameBits(
        accumulate(max, -max).populationVariance(),
        OptionalDouble.of(Double.POSITIVE_INFINITY),
        "variance beyond range");
    assertSameBits(
        accumulate(max, -max).populationStddev(), OptionalDouble.of(max), "stddev of ±MAX");
    assertSameBits(
        accumulate(1e300, -1e300).populationStddev(), OptionalDouble.of(1e300), "stddev of ±1e300");
  }

  @Test
  void subnormals() {
    double tiny = Double.MIN_VALUE;
    assertSameBits(accumulate(tiny, tiny, tiny).sum(), 3 * tiny, "sum");
    assertSameBits(accumulate(tiny, tiny, tiny).mean(), OptionalDouble.of(tiny), "mean");
    // mean of {MIN, 0} is 2^-1075: a tie between 0 and MIN_VALUE, rounds to even (0).
    assertSameBits(accumulate(tiny, 0.0).mean(), OptionalDouble.of(0.0), "tie to even");
    assertSameBits(accumulate(tiny, 0.0, 0.0).mean(), OptionalDouble.of(0.0), "below half");
    assertSameBits(accumulate(tiny, tiny, 0.0).mean(), OptionalDouble.of(tiny), "above half");
    assertSameBits(
        accumulate(3 * tiny, 0.0).mean(), OptionalDouble.of(2 * tiny), "1.5 ulp to even");
    // Variance underflows, standard deviation does not: sqrt of the exact value.
    assertSameBits(
        accumulate(tiny, -tiny).populationVariance(), OptionalDouble.of(0.0), "variance");
    assertSameBits(accumulate(tiny, -tiny).populationStddev(), OptionalDouble.of(tiny), "stddev");
    assertSameBits(
        accumulate(1e-200, -1e-200).populationStddev(), OptionalDouble.of(1e-200), "stddev");
  }

  @Test
  void missingAndNonNumericAreOnlyCounted() {
    FieldAccumulator acc = new FieldAccumulator();
    acc.addMissing();
    acc.addNonNumeric();
    acc.addNonNumeric();
    acc.add(7.0);
    acc.addMissing();
    acc.addMissing();
    FieldStats s = acc.snapshot();
    assertThat(s.missing()).isEqualTo(3);
    assertThat(s.nonNumeric()).isEqualTo(2);
    assertThat(s.nonFinite()).isZero();
    assertThat(s.count()).isEqualTo(1);
    assertSameBits(s.sum(), 7.0, "sum");

    FieldAccumulator none = new FieldAccumulator();
    none.addNonNumeric();
    assertThat(none.snapshot())
        .isEqualTo(
            new FieldStats(
                0,
                0,
                1,
                0,
                BigInteger.ZERO,
                BigInteger.ZERO,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                Sketch.EMPTY,
                ValueCounts.NONE));
  }

  @Test
  void scaledSumsAreExact() {
    FieldStats s = accumulate(1.0, -0.5, Double.MIN_VALUE);
    assertThat(s.scaledSum()).isEqualTo(BigInteger.ONE.shiftLeft(1073).add(BigInteger.ONE));
    assertThat(s.scaledSumOfSquares())
        .isEqualTo(
            BigInteger.ONE.shiftLeft(2148).add(BigInteger.ONE.shiftLeft(2146)).add(BigInteger.ONE));
    FieldStats negative = accumulate(-3.0);
    assertThat(negative.scaledSum()).isEqualTo(BigInteger.valueOf(-3).shiftLeft(1074));
    assertThat(negative.scaledSumOfSquares()).isEqualTo(BigInteger.valueOf(9).shiftLeft(2148));
    FieldStats huge = accumulate(Double.MAX_VALUE, Double.MAX_VALUE);
    BigInteger maxScaled =
        BigInteger.ONE.shiftLeft(53).subtract(BigInteger.ONE).shiftLeft(971 + 1074);
    assertThat(huge.scaledSum()).isEqualTo(maxScaled.shiftLeft(1));
    assertThat(huge.scaledSumOfSquares()).isEqualTo(maxScaled.multiply(maxScaled).shiftLeft(1));
  }

  @Test
  void snapshotIsACopy() {
    FieldAccumulator acc = new FieldAccumulator();
    acc.add(1.0);
    acc.addMissing();
    FieldStats first = acc.snapshot();
    acc.add(2.0);
    assertThat(first)
        .isEqualTo(
            accumulate(1.0)
                .merge(
                    new FieldStats(
                        0,
                        1,
                        0,
                        0,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        Sketch.EMPTY,
                        ValueCounts.NONE)));
    assertThat(acc.snapshot()).isEqualTo(first.merge(accumulate(2.0)));
  }

  @Test
  void constructorValidates() {
    BigInteger z = BigInteger.ZERO;
    double inf = Double.POSITIVE_INFINITY;
    assertThatThrownBy(
            () -> new FieldStats(-1, 0, 0, 0, z, z, inf, -inf, Sketch.EMPTY, ValueCounts.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new FieldStats(0, -1, 0, 0, z, z, inf, -inf, Sketch.EMPTY, ValueCounts.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new FieldStats(0, 0, -1, 0, z, z, inf, -inf, Sketch.EMPTY, ValueCounts.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new FieldStats(0, 0, 0, -1, z, z, inf, -inf, Sketch.EMPTY, ValueCounts.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new FieldStats(0, 0, 0, 0, null, z, inf, -inf, Sketch.EMPTY, ValueCounts.NONE))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () -> new FieldStats(0, 0, 0, 0, z, null, inf, -inf, Sketch.EMPTY, ValueCounts.NONE))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () ->
                new FieldStats(
                    0,
                    0,
                    0,
                    0,
                    z,
                    BigInteger.ONE.negate(),
                    inf,
                    -inf,
                    Sketch.EMPTY,
                    ValueCounts.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new FieldStats(0, 0, 0, 0, z, z, Double.NaN, -inf, Sketch.EMPTY, ValueCounts.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
