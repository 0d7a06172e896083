package io.fetchstats.stats;

import static io.fetchstats.stats.Reference.accumulate;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Percentiles against a sorted array and numpy's default definition computed in BigDecimal: bit for
 * bit in the exact regime, within the sketch's accuracy beyond it; and the regime and the results
 * independent of order and grouping.
 */
class PercentilesTest {
  private static final double[] PERCENTILES = {0, 0.25, 0.5, 0.75, 0.95, 0.99, 1};

  /** numpy.percentile(values, 100·q) (linear), exactly, then correctly rounded. */
  static double numpy(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    BigDecimal h = BigDecimal.valueOf(q).multiply(BigDecimal.valueOf(sorted.length - 1));
    int low = h.intValue();
    BigDecimal fraction = h.subtract(BigDecimal.valueOf(low));
    if (fraction.signum() == 0 || sorted[low] == sorted[low + 1]) {
      return sorted[low];
    }
    BigDecimal x = new BigDecimal(sorted[low]);
    BigDecimal y = new BigDecimal(sorted[low + 1]);
    // BigDecimal.doubleValue rounds correctly (half even).
    return x.add(y.subtract(x).multiply(fraction)).doubleValue();
  }

  @Provide
  Arbitrary<double[]> values() {
    // Few distinct values (repeats, as in counts and codes), everyday ones, and any double: of any
    // bits too, subnormals and every exponent.
    Arbitrary<Double> value =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-3, 3).map(Integer::doubleValue),
            Arbitraries.doubles().between(-1e6, 1e6),
            Arbitraries.doubles().filter(Double::isFinite),
            Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite),
            Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE));
    return value.array(double[].class).ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 500)
  void exactRegimeIsNumpyBitForBit(
      @ForAll("values") double[] values, @ForAll @DoubleRange(min = 0, max = 1) double q) {
    FieldStats stats = accumulate(values);

    assertThat(stats.percentilesExact()).isTrue();
    double[] qs = Arrays.copyOf(PERCENTILES, PERCENTILES.length + 1);
    qs[PERCENTILES.length] = q;
    double[] actual = stats.quantiles(qs);
    for (int i = 0; i < qs.length; i++) {
      Reference.assertSameBits(actual[i], numpy(values, qs[i]), "q=" + qs[i]);
    }
  }

  @Property(tries = 20)
  void sketchRegimeIsWithinItsAccuracyOfNumpy(
      @ForAll long seed, @ForAll @IntRange(min = 4097, max = 9000) int n) {
    double[] values = spread(new SplittableRandom(seed), n);
    FieldStats stats = accumulate(values);

    assertThat(stats.percentilesExact()).isFalse();
    double[] actual = stats.quantiles(PERCENTILES);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < PERCENTILES.length; i++) {
      double h = PERCENTILES[i] * (n - 1);
      double bound =
          Math.max(Math.abs(sorted[(int) Math.floor(h)]), Math.abs(sorted[(int) Math.ceil(h)]));
      assertThat(Math.abs(actual[i] - numpy(values, PERCENTILES[i])))
          .as("q=%s", PERCENTILES[i])
          .isLessThanOrEqualTo(Sketch.RELATIVE_ACCURACY * 1.0000001 * bound);
    }
  }

  /** Distinct values (with probability ~1) of both signs and many magnitudes. */
  private static double[] spread(SplittableRandom random, int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = Math.exp(random.nextDouble(-20, 20)) * (random.nextInt(4) == 0 ? -1 : 1);
    }
    return values;
  }

  @Property(tries = 60)
  void orderAndGroupingChangeNothing(
      @ForAll("values") double[] few, @ForAll boolean wide, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = few;
    if (wide) {
      // Past the limit: the sketch regime must come out the same too.
      double[] spread = spread(random, ValueCounts.LIMIT + 1);
      values = Arrays.copyOf(few, few.length + spread.length);
      System.arraycopy(spread, 0, values, few.length, spread.length);
    }
    FieldStats whole = accumulate(values);
    List<FieldStats> chunks = chunks(shuffled(values, random), random);

    FieldStats leftFold = FieldStats.EMPTY;
    for (FieldStats chunk : chunks) {
      leftFold = leftFold.merge(chunk);
    }
    FieldStats rightFold = FieldStats.EMPTY;
    for (FieldStats chunk : chunks) {
      rightFold = chunk.merge(rightFold);
    }
    FieldStats tree = tree(chunks, 0, chunks.size());

    assertThat(List.of(leftFold, rightFold, tree)).containsOnly(whole);
    assertThat(tree.quantiles(PERCENTILES)).isEqualTo(whole.quantiles(PERCENTILES));
    assertThat(whole.percentilesExact()).isEqualTo(!wide);
  }

  private static double[] shuffled(double[] values, SplittableRandom random) {
    double[] copy = values.clone();
    for (int i = copy.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
    }
    return copy;
  }

  private static List<FieldStats> chunks(double[] values, SplittableRandom random) {
    List<FieldStats> chunks = new ArrayList<>();
    int from = 0;
    while (from < values.length) {
      int to = Math.min(values.length, from + 1 + random.nextInt(Math.max(1, values.length / 3)));
      chunks.add(accumulate(Arrays.copyOfRange(values, from, to)));
      from = to;
    }
    return chunks;
  }

  private static FieldStats tree(List<FieldStats> chunks, int from, int to) {
    if (to - from == 0) {
      return FieldStats.EMPTY;
    }
    if (to - from == 1) {
      return chunks.get(from);
    }
    int middle = (from + to) >>> 1;
    return tree(chunks, from, middle).merge(tree(chunks, middle, to));
  }

  @Example
  void exactUpToTheLimitOfDistinctValuesAndNotOneMore() {
    double[] limit = new double[ValueCounts.LIMIT];
    Arrays.setAll(limit, i -> i);
    double[] overLimit = Arrays.copyOf(limit, ValueCounts.LIMIT + 1);
    overLimit[ValueCounts.LIMIT] = ValueCounts.LIMIT;
    double[] lowHalf = Arrays.copyOfRange(overLimit, 0, 2049);
    double[] highHalf = Arrays.copyOfRange(overLimit, 2049, overLimit.length);

    assertThat(accumulate(limit).percentilesExact()).isTrue();
    assertThat(accumulate(overLimit).percentilesExact()).isFalse();
    // Two exact halves whose union is one over: the sketch regime, as the whole.
    FieldStats merged = accumulate(lowHalf).merge(accumulate(highHalf));
    assertThat(accumulate(lowHalf).percentilesExact()).isTrue();
    assertThat(merged).isEqualTo(accumulate(overLimit));
    assertThat(merged.percentilesExact()).isFalse();
    // Repeats of the same values do not count again.
    assertThat(accumulate(limit).merge(accumulate(limit)).percentilesExact()).isTrue();
  }

  @Example
  void countsWithoutExactValuesNeverClaimExactness() {
    FieldStats old = accumulate(1, 2);
    FieldStats unknown =
        new FieldStats(
            old.count(),
            old.missing(),
            old.nonNumeric(),
            old.nonFinite(),
            old.scaledSum(),
            old.scaledSumOfSquares(),
            old.min(),
            old.max(),
            old.sketch(),
            ValueCounts.OVER);

    assertThat(unknown.merge(accumulate(3)).percentilesExact()).isFalse();
    assertThat(accumulate(3).merge(unknown).percentilesExact()).isFalse();
  }

  @Example
  void theIssuesExamples() {
    double[] p = accumulate(3, 1, 4, 1, 5, 9, 2, 6).quantiles(0.95, 0.99);
    assertThat(p).containsExactly(7.95, 8.79);

    double[] onesAndTwos = {1, 2, 1, 2, 2, 1, 1, 2, 1, 2};
    assertThat(accumulate(onesAndTwos).quantiles(0.25, 0.5)).containsExactly(1.0, 1.5);
  }
}
