package io.fetchstats.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.OptionalDouble;

/** Independent expectations computed with BigDecimal: exact sums, 1200-digit quotients. */
final class Reference {

  static final MathContext MC = new MathContext(1200, RoundingMode.HALF_EVEN);

  final long count;
  final long nonFinite;
  final BigDecimal sum;
  final BigDecimal sumOfSquares;
  final double min;
  final double max;

  private Reference(double[] values) {
    long n = 0;
    long bad = 0;
    BigDecimal s = BigDecimal.ZERO;
    BigDecimal s2 = BigDecimal.ZERO;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : values) {
      if (!Double.isFinite(x)) {
        bad++;
        continue;
      }
      n++;
      BigDecimal d = new BigDecimal(x);
      s = s.add(d);
      s2 = s2.add(d.multiply(d));
      // Double.compare orders -0.0 below +0.0, independently of Math.min/max.
      if (Double.compare(x, lo) < 0) {
        lo = x;
      }
      if (Double.compare(x, hi) > 0) {
        hi = x;
      }
    }
    count = n;
    nonFinite = bad;
    sum = s;
    sumOfSquares = s2;
    min = lo;
    max = hi;
  }

  static Reference of(double... values) {
    return new Reference(values);
  }

  double sum() {
    return sum.doubleValue();
  }

  OptionalDouble mean() {
    return count == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(sum.divide(BigDecimal.valueOf(count), MC).doubleValue());
  }

  private BigDecimal numerator() {
    return BigDecimal.valueOf(count).multiply(sumOfSquares).subtract(sum.multiply(sum));
  }

  private BigDecimal populationVarianceExact() {
    BigDecimal n = BigDecimal.valueOf(count);
    return numerator().divide(n.multiply(n), MC);
  }

  private BigDecimal sampleVarianceExact() {
    return numerator()
        .divide(BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(count - 1)), MC);
  }

  OptionalDouble populationVariance() {
    return count == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(populationVarianceExact().doubleValue());
  }

  OptionalDouble sampleVariance() {
    return count < 2
        ? OptionalDouble.empty()
        : OptionalDouble.of(sampleVarianceExact().doubleValue());
  }

  OptionalDouble populationStddev() {
    return count == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(populationVarianceExact().sqrt(MC).doubleValue());
  }

  OptionalDouble sampleStddev() {
    return count < 2
        ? OptionalDouble.empty()
        : OptionalDouble.of(sampleVarianceExact().sqrt(MC).doubleValue());
  }

  /** Asserts every rounded output of {@code actual} is bit-identical to this reference. */
  void assertMatches(FieldStats actual, String what) {
    assertThat(actual.count()).as("%s: count", what).isEqualTo(count);
    assertThat(actual.nonFinite()).as("%s: nonFinite", what).isEqualTo(nonFinite);
    assertSameBits(actual.sum(), sum(), what + ": sum");
    assertSameBits(actual.mean(), mean(), what + ": mean");
    assertSameBits(
        actual.minimum(),
        count == 0 ? OptionalDouble.empty() : OptionalDouble.of(min),
        what + ": min");
    assertSameBits(
        actual.maximum(),
        count == 0 ? OptionalDouble.empty() : OptionalDouble.of(max),
        what + ": max");
    assertSameBits(
        actual.populationVariance(), populationVariance(), what + ": population variance");
    assertSameBits(actual.sampleVariance(), sampleVariance(), what + ": sample variance");
    assertSameBits(actual.populationStddev(), populationStddev(), what + ": population stddev");
    assertSameBits(actual.sampleStddev(), sampleStddev(), what + ": sample stddev");
  }

  static void assertSameBits(double actual, double expected, String what) {
    assertThat(Double.doubleToRawLongBits(actual))
        .as(
            "%s: expected %s (%s) but was %s (%s)",
            what, expected, Double.toHexString(expected), actual, Double.toHexString(actual))
        .isEqualTo(Double.doubleToRawLongBits(expected));
  }

  static void assertSameBits(OptionalDouble actual, OptionalDouble expected, String what) {
    assertThat(actual.isPresent()).as("%s: present", what).isEqualTo(expected.isPresent());
    if (expected.isPresent()) {
      assertSameBits(actual.getAsDouble(), expected.getAsDouble(), what);
    }
  }

  static FieldStats accumulate(double... values) {
    FieldAccumulator acc = new FieldAccumulator();
    for (double x : values) {
      acc.add(x);
    }
    return acc.snapshot();
  }
}
