package io.fetchstats.stats;

import com.datadoghq.sketch.ddsketch.mapping.CubicallyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable DDSketch of a field's finite values: counts per bucket of geometrically growing
 * width (sketches-java's cubically interpolated mapping: the logarithm's accuracy for a fraction of
 * its cost in the parsers' hot loop), so that any quantile is known within {@link
 * #RELATIVE_ACCURACY} of a true value, and merging adds counts (exact integers), which gives the
 * same sketch in any order and grouping.
 *
 * @param zeroCount values too close to zero for a bucket (zeros and the smallest subnormals)
 * @param negative buckets of |x| for negative x
 * @param positive buckets of positive x
 */
public record Sketch(long zeroCount, Buckets negative, Buckets positive) {

  /** Every quantile is within 1% of a value of its rank (DDSketch's guarantee). */
  public static final double RELATIVE_ACCURACY = 0.01;

  static final IndexMapping MAPPING = new CubicallyInterpolatedMapping(RELATIVE_ACCURACY);

  public static final Sketch EMPTY = new Sketch(0, Buckets.NONE, Buckets.NONE);

  public Sketch {
    Objects.requireNonNull(negative, "negative");
    Objects.requireNonNull(positive, "positive");
  }

  public long count() {
    return zeroCount + negative.total() + positive.total();
  }

  /** Adds the counts bucket by bucket. */
  public Sketch merge(Sketch other) {
    return new Sketch(
        Math.addExact(zeroCount, other.zeroCount),
        negative.merge(other.negative),
        positive.merge(other.positive));
  }

  /**
   * The values at the quantiles {@code qs} (each in [0, 1]) by numpy's default definition: at rank
   * h = q·(n−1), the values of ranks ⌊h⌋ and ⌊h⌋+1 linearly interpolated, each read as its bucket's
   * value kept within [{@code min}, {@code max}] (the field's exact extremes, which are also the
   * values of the first and last ranks). Each value read is within {@link #RELATIVE_ACCURACY} of
   * the true one, so the interpolation is too where both have one sign; empty sketch, no values.
   */
  public double[] quantiles(double min, double max, double... qs) {
    long n = count();
    if (n == 0) {
      return new double[0];
    }
    double[] values = new double[qs.length];
    for (int i = 0; i < qs.length; i++) {
      double h = qs[i] * (n - 1);
      long low = (long) Math.floor(h);
      double fraction = h - low;
      double lowValue = valueAt(low, n, min, max);
      values[i] =
          fraction == 0 ? lowValue : interpolate(lowValue, valueAt(low + 1, n, min, max), fraction);
    }
    return values;
  }

  /** The value of rank {@code rank} (0-based) of {@code n}: its bucket's, kept in [min, max]. */
  private double valueAt(long rank, long n, double min, double max) {
    if (rank <= 0) {
      return min;
    }
    if (rank >= n - 1) {
      return max;
    }
    // Ascending values: negative buckets from the largest magnitude down, zeros, then positive.
    long seen = 0;
    for (int i = negative.size() - 1; i >= 0; i--) {
      seen += negative.count(i);
      if (rank < seen) {
        return clamp(-MAPPING.value(negative.index(i)), min, max);
      }
    }
    seen += zeroCount;
    if (rank < seen) {
      return clamp(0.0, min, max);
    }
    for (int i = 0; i < positive.size(); i++) {
      seen += positive.count(i);
      if (rank < seen) {
        return clamp(MAPPING.value(positive.index(i)), min, max);
      }
    }
    return max;
  }

  /** low + (high − low)·fraction, kept in [low, high]; weighted where the difference overflows. */
  private static double interpolate(double low, double high, double fraction) {
    double difference = high - low;
    double value =
        Double.isInfinite(difference)
            ? low * (1 - fraction) + high * fraction
            : low + difference * fraction;
    return clamp(value, low, high);
  }

  private static double clamp(double value, double min, double max) {
    return Math.min(max, Math.max(min, value));
  }

  /** Ascending bucket indexes with their counts; immutable (the arrays never leave it). */
  public static final class Buckets {
    static final Buckets NONE = new Buckets(new int[0], new long[0]);

    private final int[] indexes;
    private final long[] counts;

    private Buckets(int[] indexes, long[] counts) {
      this.indexes = indexes;
      this.counts = counts;
    }

    /** Buckets from arrays of ascending indexes and their counts (copied). */
    public static Buckets of(int[] indexes, long[] counts) {
      if (indexes.length != counts.length) {
        throw new IllegalArgumentException("bucket indexes and counts differ in number");
      }
      return new Buckets(indexes.clone(), counts.clone());
    }

    public int size() {
      return indexes.length;
    }

    public int index(int i) {
      return indexes[i];
    }

    public long count(int i) {
      return counts[i];
    }

    long total() {
      return Arrays.stream(counts).sum();
    }

    /** A merge join of the two ascending index lists, adding the counts of shared indexes. */
    Buckets merge(Buckets other) {
      int[] merged = new int[indexes.length + other.indexes.length];
      long[] sums = new long[merged.length];
      int i = 0;
      int j = 0;
      int n = 0;
      while (i < indexes.length || j < other.indexes.length) {
        if (j == other.indexes.length || i < indexes.length && indexes[i] < other.indexes[j]) {
          merged[n] = indexes[i];
          sums[n++] = counts[i++];
        } else if (i == indexes.length || other.indexes[j] < indexes[i]) {
          merged[n] = other.indexes[j];
          sums[n++] = other.counts[j++];
        } else {
          merged[n] = indexes[i];
          sums[n++] = Math.addExact(counts[i++], other.counts[j++]);
        }
      }
      return new Buckets(Arrays.copyOf(merged, n), Arrays.copyOf(sums, n));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Buckets other
          && Arrays.equals(indexes, other.indexes)
          && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(indexes) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
      return indexes.length + " buckets";
    }
  }
}
