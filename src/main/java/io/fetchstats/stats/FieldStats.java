package io.fetchstats.stats;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Exact, immutable, mergeable statistics of one field.
 *
 * <p>Sums are kept as exact scaled integers and every result is rounded once, when read, because
 * count, sum, mean, min, max and variance must be bit-identical whatever the order and grouping of
 * additions and merges (DESIGN.md, "Statistics contract"). For the same reason {@link #merge} is
 * exact and the constructor canonicalises nothing: records built from the same values are equal
 * however the values were grouped and ordered.
 *
 * @param count finite numbers seen
 * @param missing missing cells
 * @param nonNumeric cells that were not numbers
 * @param nonFinite NaN and infinities, kept out of the moments
 * @param scaledSum exactly Σx · 2^1074 (an integer: every double is a multiple of 2^-1074)
 * @param scaledSumOfSquares exactly Σx² · 2^2148
 * @param min smallest value, +Infinity when {@code count == 0}
 * @param max largest value, -Infinity when {@code count == 0}
 * @param sketch the finite values' buckets, for quantiles within {@link Sketch#RELATIVE_ACCURACY}
 * @param exact the finite values' exact counts while there are at most {@link ValueCounts#LIMIT}
 *     distinct ones (then percentiles and histogram are exact), else {@link ValueCounts#OVER}
 */
public record FieldStats(
    long count,
    long missing,
    long nonNumeric,
    long nonFinite,
    BigInteger scaledSum,
    BigInteger scaledSumOfSquares,
    double min,
    double max,
    Sketch sketch,
    ValueCounts exact) {

  /** Exponent of the scaling of {@link #scaledSum}. */
  static final int SUM_EXPONENT = ExactRounding.MIN_EXPONENT;

  /** Exponent of the scaling of {@link #scaledSumOfSquares}. */
  static final int SQUARES_EXPONENT = 2 * ExactRounding.MIN_EXPONENT;

  public static final FieldStats EMPTY =
      new FieldStats(
          0,
          0,
          0,
          0,
          BigInteger.ZERO,
          BigInteger.ZERO,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          Sketch.EMPTY,
          ValueCounts.NONE);

  public FieldStats {
    if (count < 0 || missing < 0 || nonNumeric < 0 || nonFinite < 0) {
      throw new IllegalArgumentException("negative count");
    }
    Objects.requireNonNull(scaledSum, "scaledSum");
    Objects.requireNonNull(scaledSumOfSquares, "scaledSumOfSquares");
    Objects.requireNonNull(sketch, "sketch");
    Objects.requireNonNull(exact, "exact");
    // Exact counts that miss values would make exact percentiles wrong, not just imprecise.
    if (exact.exact() && exact.total() != count) {
      throw new IllegalArgumentException("exact counts do not add up to the count");
    }
    if (scaledSumOfSquares.signum() < 0) {
      throw new IllegalArgumentException("negative sum of squares");
    }
    // NaN would make min/max merges order-dependent.
    if (Double.isNaN(min) || Double.isNaN(max)) {
      throw new IllegalArgumentException("NaN min or max");
    }
  }

  /** Exact merge: associative, commutative, with {@link #EMPTY} as identity. */
  public FieldStats merge(FieldStats other) {
    return new FieldStats(
        Math.addExact(count, other.count),
        Math.addExact(missing, other.missing),
        Math.addExact(nonNumeric, other.nonNumeric),
        Math.addExact(nonFinite, other.nonFinite),
        scaledSum.add(other.scaledSum),
        scaledSumOfSquares.add(other.scaledSumOfSquares),
        Math.min(min, other.min),
        Math.max(max, other.max),
        sketch.merge(other.sketch),
        exact.merge(other.exact));
  }

  /** These statistics with their percentiles from the sketch from now on: exact counts dropped. */
  public FieldStats withoutExactCounts() {
    return exact.exact()
        ? new FieldStats(
            count,
            missing,
            nonNumeric,
            nonFinite,
            scaledSum,
            scaledSumOfSquares,
            min,
            max,
            sketch,
            ValueCounts.OVER)
        : this;
  }

  /** Whether percentiles and histogram are exact (at most {@link ValueCounts#LIMIT} values). */
  public boolean percentilesExact() {
    return exact.exact();
  }

  /**
   * The values at the quantiles {@code qs} by numpy's default definition: exact and correctly
   * rounded (see {@link ValueCounts#quantiles}) if {@link #percentilesExact}, else from the sketch
   * (see {@link Sketch#quantiles}); none if no values.
   */
  public double[] quantiles(double... qs) {
    return exact.exact() ? exact.quantiles(qs) : sketch.quantiles(min, max, qs);
  }

  /**
   * {@link Histogram#BINS} bins from min to max (see {@link Histogram}), of the exact values if
   * {@link #percentilesExact}; empty if no values.
   */
  public Optional<Histogram> histogram() {
    if (count == 0) {
      return Optional.empty();
    }
    return Optional.of(
        exact.exact()
            ? Histogram.of(exact, min, max, Histogram.BINS)
            : Histogram.of(sketch, min, max, Histogram.BINS));
  }

  /** Correctly rounded Σx; an exact zero is +0.0, an overflow is ±Infinity. */
  public double sum() {
    return ExactRounding.exact(scaledSum, SUM_EXPONENT);
  }

  /** Correctly rounded Σx / n; empty if there are no values. */
  public OptionalDouble mean() {
    if (count == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        ExactRounding.quotient(scaledSum, BigInteger.valueOf(count), SUM_EXPONENT));
  }

  public OptionalDouble minimum() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(min);
  }

  public OptionalDouble maximum() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(max);
  }

  /** Correctly rounded (n·Σx² − (Σx)²) / n²; empty if there are no values. */
  public OptionalDouble populationVariance() {
    if (count == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        ExactRounding.quotient(varianceNumerator(), populationDivisor(), SQUARES_EXPONENT));
  }

  /** Correctly rounded (n·Σx² − (Σx)²) / (n(n−1)); empty if there are fewer than two values. */
  public OptionalDouble sampleVariance() {
    if (count < 2) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        ExactRounding.quotient(varianceNumerator(), sampleDivisor(), SQUARES_EXPONENT));
  }

  /** Correctly rounded square root of the exact population variance. */
  public OptionalDouble populationStddev() {
    if (count == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        ExactRounding.sqrtQuotient(varianceNumerator(), populationDivisor(), SQUARES_EXPONENT));
  }

  /** Correctly rounded square root of the exact sample variance. */
  public OptionalDouble sampleStddev() {
    if (count < 2) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        ExactRounding.sqrtQuotient(varianceNumerator(), sampleDivisor(), SQUARES_EXPONENT));
  }

  /** n·B − A², which is (n·Σx² − (Σx)²) · 2^2148. */
  private BigInteger varianceNumerator() {
    BigInteger p =
        BigInteger.valueOf(count)
            .multiply(scaledSumOfSquares)
            .subtract(scaledSum.multiply(scaledSum));
    if (p.signum() < 0) {
      // Impossible for real data (Cauchy–Schwarz): the record was built inconsistently.
      throw new IllegalStateException("inconsistent sums: negative variance");
    }
    return p;
  }

  private BigInteger populationDivisor() {
    BigInteger n = BigInteger.valueOf(count);
    return n.multiply(n);
  }

  private BigInteger sampleDivisor() {
    return BigInteger.valueOf(count).multiply(BigInteger.valueOf(count - 1));
  }
}
