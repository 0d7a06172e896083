package io.fetchstats.stats;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Exact counts of a field's distinct finite values while there are at most {@link #LIMIT}, or
 * {@link #OVER} beyond: immutable. Merging adds the counts of equal values and gives {@link #OVER}
 * once the union has more than {@link #LIMIT} values, or if either side is {@link #OVER}; so which
 * regime a field ends in depends only on the union of its values, not on order or grouping.
 *
 * <p>Values are distinct by their bits (so -0.0 and 0.0 are two) and ascend as {@link
 * Double#compare} orders them. At most {@link #LIMIT} · (8 + 8) bytes = 64 KiB per field.
 */
public final class ValueCounts {

  /** The most distinct values counted exactly (N of issue 15). */
  public static final int LIMIT = 4096;

  /** More than {@link #LIMIT} distinct values, or not known (a record from before exact counts). */
  public static final ValueCounts OVER = new ValueCounts(null, null);

  /** No values, exactly. */
  public static final ValueCounts NONE = new ValueCounts(new double[0], new long[0]);

  private final double[] values;
  private final long[] counts;

  private ValueCounts(double[] values, long[] counts) {
    this.values = values;
    this.counts = counts;
  }

  /**
   * Counts from ascending, distinct, finite values and their positive counts (copied).
   *
   * @throws IllegalArgumentException if they are not so, or more than {@link #LIMIT}
   */
  public static ValueCounts of(double[] values, long[] counts) {
    if (values.length != counts.length || values.length > LIMIT) {
      throw new IllegalArgumentException("values and counts differ in number, or over " + LIMIT);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])
          || counts[i] <= 0
          || i > 0 && Double.compare(values[i - 1], values[i]) >= 0) {
        throw new IllegalArgumentException("values not ascending, finite and counted");
      }
    }
    return new ValueCounts(values.clone(), counts.clone());
  }

  /** For arrays built here and never shared: no copy, no check. */
  static ValueCounts ofOwned(double[] values, long[] counts) {
    return new ValueCounts(values, counts);
  }

  /** Whether these are the exact counts (else {@link #OVER}). */
  public boolean exact() {
    return values != null;
  }

  /** Distinct values; 0 for {@link #OVER}. */
  public int size() {
    return values == null ? 0 : values.length;
  }

  public double value(int i) {
    return values[i];
  }

  public long count(int i) {
    return counts[i];
  }

  /** The sum of the counts; 0 for {@link #OVER}. */
  long total() {
    long total = 0;
    for (int i = 0; i < size(); i++) {
      total = Math.addExact(total, counts[i]);
    }
    return total;
  }

  /** A merge join by value adding the counts of equal values; {@link #OVER} past the limit. */
  public ValueCounts merge(ValueCounts other) {
    if (!exact() || !other.exact()) {
      return OVER;
    }
    double[] merged = new double[Math.min(LIMIT, values.length + other.values.length)];
    long[] sums = new long[merged.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < values.length || j < other.values.length) {
      if (n == LIMIT) {
        return OVER;
      }
      int order =
          i == values.length
              ? 1
              : j == other.values.length ? -1 : Double.compare(values[i], other.values[j]);
      if (order < 0) {
        merged[n] = values[i];
        sums[n++] = counts[i++];
      } else if (order > 0) {
        merged[n] = other.values[j];
        sums[n++] = other.counts[j++];
      } else {
        merged[n] = values[i];
        sums[n++] = Math.addExact(counts[i++], other.counts[j++]);
      }
    }
    return new ValueCounts(Arrays.copyOf(merged, n), Arrays.copyOf(sums, n));
  }

  /**
   * The values at the quantiles {@code qs} (each in [0, 1], taken as the decimal it prints as, so
   * 0.95 is 95/100) by numpy's default definition, exactly: at rank h = q·(n−1), x⌊h⌋ + (x⌊h⌋+1 −
   * x⌊h⌋)·(h − ⌊h⌋) computed as an exact rational and correctly rounded once. Needs {@link
   * #exact()}; none if no values.
   */
  double[] quantiles(double... qs) {
    long n = total();
    if (n == 0) {
      return new double[0];
    }
    double[] result = new double[qs.length];
    for (int k = 0; k < qs.length; k++) {
      // h = a / 10^s exactly.
      BigDecimal h = BigDecimal.valueOf(qs[k]).multiply(BigDecimal.valueOf(n - 1));
      BigInteger low = h.toBigInteger();
      BigDecimal fraction = h.subtract(new BigDecimal(low));
      double lowValue = valueAt(low.longValueExact());
      if (fraction.signum() == 0) {
        result[k] = lowValue;
        continue;
      }
      double highValue = valueAt(low.longValueExact() + 1);
      if (lowValue == highValue) {
        result[k] = lowValue;
        continue;
      }
      result[k] = interpolate(lowValue, highValue, fraction);
    }
    return result;
  }

  /** Correctly rounded low + (high − low)·fraction, for a fraction in (0, 1). */
  private static double interpolate(double low, double high, BigDecimal fraction) {
    // Both doubles are integers times 2^e, the lower of their last bits' exponents (not 2^-1074:
    // integers of a thousand bits cost a URL result more than the rest of its percentiles), and
    // fraction = a / 10^s.
    int e = Math.min(lastBitExponent(low), lastBitExponent(high));
    BigInteger scaledLow = inUnitsOf2To(low, e);
    BigInteger scaledHigh = inUnitsOf2To(high, e);
    BigInteger a = fraction.unscaledValue();
    BigInteger tens = BigInteger.TEN.pow(fraction.scale());
    BigInteger numerator = scaledLow.multiply(tens).add(scaledHigh.subtract(scaledLow).multiply(a));
    return ExactRounding.quotient(numerator, tens, e);
  }

  /** The exponent of a finite {@code x}'s last significand bit: x is an integer times 2 to it. */
  private static int lastBitExponent(double x) {
    return Math.max(Math.getExponent(x), Double.MIN_EXPONENT) - 52;
  }

  /** {@code x / 2^e}, an integer for an {@code e} at most {@code x}'s {@link #lastBitExponent}. */
  private static BigInteger inUnitsOf2To(double x, int e) {
    int last = lastBitExponent(x);
    return BigInteger.valueOf((long) Math.scalb(x, -last)).shiftLeft(last - e);
  }

  /** The value of rank {@code rank} (0-based). */
  private double valueAt(long rank) {
    long seen = 0;
    for (int i = 0; i < values.length; i++) {
      seen += counts[i];
      if (rank < seen) {
        return values[i];
      }
    }
    throw new IllegalArgumentException("rank " + rank + " of " + seen);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueCounts other
        && Arrays.equals(values, other.values)
        && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return exact() ? values.length + " values" : "over " + LIMIT + " values";
  }
}
