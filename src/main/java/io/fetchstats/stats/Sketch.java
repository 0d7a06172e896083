package io.fetchstats.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.CubicallyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.util.Arrays;

/**
 * An immutable DDSketch of a field's finite values: counts per bucket of geometrically growing
 * width (sketches-java's cubically interpolated mapping: the logarithm's accuracy for a fraction of
 * its cost in the parsers' hot loop), so that any quantile is known within {@link
 * #RELATIVE_ACCURACY} of a true value, and merging adds counts (exact integers), which gives the
 * same sketch in any order and grouping.
 *
 * @param zeroCount values too close to zero for a bucket (zeros and the smallest subnormals)
 * @param negativeIndexes ascending bucket indexes of |x| for negative x, with their counts
 * @param positiveIndexes ascending bucket indexes of positive x, with their counts
 */
public record Sketch(
    long zeroCount,
    int[] negativeIndexes,
    long[] negativeCounts,
    int[] positiveIndexes,
    long[] positiveCounts) {

  /** Every quantile is within 1% of a value of its rank (DDSketch's guarantee). */
  public static final double RELATIVE_ACCURACY = 0.01;

  static final IndexMapping MAPPING = new CubicallyInterpolatedMapping(RELATIVE_ACCURACY);

  public static final Sketch EMPTY =
      new Sketch(0, new int[0], new long[0], new int[0], new long[0]);

  /** The arrays are copied on the way in; the record's own are never modified. */
  public Sketch {
    negativeIndexes = negativeIndexes.clone();
    negativeCounts = negativeCounts.clone();
    positiveIndexes = positiveIndexes.clone();
    positiveCounts = positiveCounts.clone();
    if (negativeIndexes.length != negativeCounts.length
        || positiveIndexes.length != positiveCounts.length) {
      throw new IllegalArgumentException("bucket indexes and counts differ in number");
    }
  }

  @Override
  public int[] negativeIndexes() {
    return negativeIndexes.clone();
  }

  @Override
  public long[] negativeCounts() {
    return negativeCounts.clone();
  }

  @Override
  public int[] positiveIndexes() {
    return positiveIndexes.clone();
  }

  @Override
  public long[] positiveCounts() {
    return positiveCounts.clone();
  }

  /** Largest magnitude the mapping has a bucket for (just short of Double.MAX_VALUE). */
  private static final double MAX_TRACKABLE = MAPPING.maxIndexableValue();

  /**
   * {@code x}, or for the few finite magnitudes past the mapping's last bucket, that bucket's
   * bound: their quantiles then read within the accuracy of the largest double.
   */
  static double trackable(double x) {
    return Math.abs(x) <= MAX_TRACKABLE ? x : Math.copySign(MAX_TRACKABLE, x);
  }

  /** A mutable sketch for adding values to (see {@link FieldAccumulator}). */
  static DDSketch newMutable() {
    return new DDSketch(MAPPING, UnboundedSizeDenseStore::new);
  }

  /** The non-empty buckets of {@code sketch}, which holds only integer counts. */
  static Sketch of(DDSketch sketch) {
    Store negative = sketch.getNegativeValueStore();
    Store positive = sketch.getPositiveValueStore();
    Bin[] negativeBins = nonEmpty(negative);
    Bin[] positiveBins = nonEmpty(positive);
    return new Sketch(
        Math.round(sketch.getCount() - negative.getTotalCount() - positive.getTotalCount()),
        Arrays.stream(negativeBins).mapToInt(Bin::getIndex).toArray(),
        Arrays.stream(negativeBins).mapToLong(bin -> Math.round(bin.getCount())).toArray(),
        Arrays.stream(positiveBins).mapToInt(Bin::getIndex).toArray(),
        Arrays.stream(positiveBins).mapToLong(bin -> Math.round(bin.getCount())).toArray());
  }

  private static Bin[] nonEmpty(Store store) {
    return store.getAscendingStream().filter(bin -> bin.getCount() > 0).toArray(Bin[]::new);
  }

  public long count() {
    return zeroCount + Arrays.stream(negativeCounts).sum() + Arrays.stream(positiveCounts).sum();
  }

  /** Adds the counts bucket by bucket. */
  public Sketch merge(Sketch other) {
    long[][] negative = new long[1][];
    long[][] positive = new long[1][];
    int[] negativeIndexes =
        mergeBuckets(
            this.negativeIndexes,
            negativeCounts,
            other.negativeIndexes,
            other.negativeCounts,
            negative);
    int[] positiveIndexes =
        mergeBuckets(
            this.positiveIndexes,
            positiveCounts,
            other.positiveIndexes,
            other.positiveCounts,
            positive);
    return new Sketch(
        Math.addExact(zeroCount, other.zeroCount),
        negativeIndexes,
        negative[0],
        positiveIndexes,
        positive[0]);
  }

  /**
   * The values at the quantiles {@code qs} (each in [0, 1]), as DDSketch defines them: the bucket
   * holding the value of rank q·(n−1); empty sketch, no values.
   */
  public double[] quantiles(double... qs) {
    if (count() == 0) {
      return new double[0];
    }
    Store negative = new UnboundedSizeDenseStore();
    for (int i = 0; i < negativeIndexes.length; i++) {
      negative.add(negativeIndexes[i], negativeCounts[i]);
    }
    Store positive = new UnboundedSizeDenseStore();
    for (int i = 0; i < positiveIndexes.length; i++) {
      positive.add(positiveIndexes[i], positiveCounts[i]);
    }
    return DDSketch.of(MAPPING, negative, positive, zeroCount).getValuesAtQuantiles(qs);
  }

  private static int[] mergeBuckets(
      int[] aIndexes, long[] aCounts, int[] bIndexes, long[] bCounts, long[][] countsOut) {
    int[] indexes = new int[aIndexes.length + bIndexes.length];
    long[] counts = new long[indexes.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < aIndexes.length || j < bIndexes.length) {
      if (j == bIndexes.length || i < aIndexes.length && aIndexes[i] < bIndexes[j]) {
        indexes[n] = aIndexes[i];
        counts[n++] = aCounts[i++];
      } else if (i == aIndexes.length || bIndexes[j] < aIndexes[i]) {
        indexes[n] = bIndexes[j];
        counts[n++] = bCounts[j++];
      } else {
        indexes[n] = aIndexes[i];
        counts[n++] = Math.addExact(aCounts[i++], bCounts[j++]);
      }
    }
    countsOut[0] = Arrays.copyOf(counts, n);
    return Arrays.copyOf(indexes, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sketch other
        && zeroCount == other.zeroCount
        && Arrays.equals(negativeIndexes, other.negativeIndexes)
        && Arrays.equals(negativeCounts, other.negativeCounts)
        && Arrays.equals(positiveIndexes, other.positiveIndexes)
        && Arrays.equals(positiveCounts, other.positiveCounts);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(zeroCount)
        + 31 * Arrays.hashCode(negativeIndexes)
        + 961 * Arrays.hashCode(positiveIndexes)
        + 29791 * (Arrays.hashCode(negativeCounts) ^ Arrays.hashCode(positiveCounts));
  }

  @Override
  public String toString() {
    return "Sketch[zero="
        + zeroCount
        + ", negative="
        + negativeIndexes.length
        + " buckets, positive="
        + positiveIndexes.length
        + " buckets]";
  }
}
