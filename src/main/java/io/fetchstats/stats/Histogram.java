package io.fetchstats.stats;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Counts of a field's finite values in {@code counts.size()} bins of equal width between {@code
 * min} and {@code max} (the field's exact extremes; the last bin includes {@code max}).
 *
 * <p>Of a field with exact counts ({@link ValueCounts}), {@link #BINS} bins, each value in its own.
 * Else built from the percentile sketch, so it merges like the sketch (in any order, the same
 * counts): each value is counted in the bin of its sketch bucket's value, which is within {@link
 * Sketch#RELATIVE_ACCURACY} of it, so a value that close to a bin edge may be counted in the
 * neighbouring bin. Bins are never narrower than twice that error at the largest magnitude, so a
 * range that is narrow against its values has fewer bins (one for 1000 to 1001). The counts always
 * add up to the field's count.
 */
public record Histogram(double min, double max, List<Long> counts) {

  /** Bins of a published histogram: enough for a shape, few enough to read in a result. */
  public static final int BINS = 20;

  public Histogram {
    counts = List.copyOf(counts);
    if (counts.isEmpty() || !(min <= max)) {
      throw new IllegalArgumentException("a histogram needs bins and min <= max");
    }
  }

  /**
   * The histogram of {@code sketch}'s values in [{@code min}, {@code max}] in up to {@code bins}.
   */
  static Histogram of(Sketch sketch, double min, double max, int bins) {
    Objects.requireNonNull(sketch, "sketch");
    if (bins < 1) {
      throw new IllegalArgumentException("bins " + bins);
    }
    long[] counts = new long[resolvableBins(min, max, bins)];
    Binning binning = new Binning(min, max, counts.length);
    counts[binning.bin(0.0)] += sketch.zeroCount();
    Sketch.Buckets negative = sketch.negative();
    for (int i = 0; i < negative.size(); i++) {
      counts[binning.bin(-Sketch.MAPPING.value(negative.index(i)))] += negative.count(i);
    }
    Sketch.Buckets positive = sketch.positive();
    for (int i = 0; i < positive.size(); i++) {
      counts[binning.bin(Sketch.MAPPING.value(positive.index(i)))] += positive.count(i);
    }
    return new Histogram(min, max, Arrays.stream(counts).boxed().toList());
  }

  /**
   * The histogram of the exact values {@code exact} in [{@code min}, {@code max}]: {@code bins}
   * bins (one if min is max), each value in its bin by exact arithmetic, the last bin including
   * {@code max}.
   */
  static Histogram of(ValueCounts exact, double min, double max, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins " + bins);
    }
    long[] counts = new long[min < max ? bins : 1];
    ExactBinning binning = new ExactBinning(min, max, counts.length);
    for (int i = 0; i < exact.size(); i++) {
      counts[binning.bin(exact.value(i))] += exact.count(i);
    }
    return new Histogram(min, max, Arrays.stream(counts).boxed().toList());
  }

  /**
   * The bin of a value between min and max: floor((x − min) · bins / (max − min)), the last bin
   * including max, exactly. In doubles that quotient is within 1e-14 of the exact one (four
   * roundings, each 2^-53 relative, of a value at most {@code bins}, while max − min is normal), so
   * a value whose quotient is farther than {@link #EDGE} from a bin edge needs no exact arithmetic:
   * nearly all do, and the exact arithmetic on decimal expansions costs microseconds a value.
   */
  record ExactBinning(double min, double max, int bins) {
    private static final double EDGE = 1e-9;

    int bin(double value) {
      // The extremes, always present, lie on the edges: their bins need no arithmetic.
      if (bins == 1 || value == min) {
        return 0;
      }
      if (value == max) {
        return bins - 1;
      }
      double width = max - min;
      double quotient = (value - min) / width * bins;
      if (Double.isFinite(quotient)
          && width >= Double.MIN_NORMAL
          && Math.abs(quotient - Math.rint(quotient)) > EDGE) {
        return Math.min(bins - 1, (int) quotient);
      }
      return exactBin(value);
    }

    int exactBin(double value) {
      BigDecimal low = new BigDecimal(min);
      BigDecimal scaled = new BigDecimal(value).subtract(low).multiply(BigDecimal.valueOf(bins));
      return Math.min(
          bins - 1,
          scaled.divideToIntegralValue(new BigDecimal(max).subtract(low)).intValueExact());
    }
  }

  /**
   * At most {@code bins}, and no more than keep each bin at least twice as wide as the sketch's
   * error at the largest magnitude, so that a value is counted in its bin or a neighbour: a range
   * narrow against its values (1000 to 1001) gets one bin, not a spike in a wrong one.
   */
  private static int resolvableBins(double min, double max, int bins) {
    double halfRange = max / 2 - min / 2;
    if (!(halfRange > 0)) {
      return 1; // one value (zeros: no error to divide by)
    }
    double error = Sketch.RELATIVE_ACCURACY * Math.max(Math.abs(min), Math.abs(max));
    return (int) Math.max(1, Math.min(bins, Math.floor(halfRange / error)));
  }

  /** Bin of a value; halves keep {@code max - min} finite for extremes near ±Double.MAX_VALUE. */
  private record Binning(double min, double max, int bins) {
    int bin(double value) {
      // The extremes, always present, lie on the edges: their bins need no arithmetic.
      if (bins == 1 || value == min) {
        return 0;
      }
      if (value == max) {
        return bins - 1;
      }
      double fraction = (value / 2 - min / 2) / (max / 2 - min / 2);
      return (int) Math.max(0, Math.min(bins - 1, Math.floor(fraction * bins)));
    }
  }
}
