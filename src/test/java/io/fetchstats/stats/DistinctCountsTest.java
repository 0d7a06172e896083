package io.fetchstats.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The counts against a sorted map of the values, around the limit of distinct values, with values
 * many more than the buffer holds (so the hash counts them in several rounds) and snapshots taken
 * between adds: the proof bits may only ever end the counting with more than the limit.
 */
class DistinctCountsTest {

  /** What {@link DistinctCounts} must give for these values. */
  private static ValueCounts expected(double[] values) {
    Map<Double, Long> counts = new TreeMap<>(Double::compare);
    for (double x : values) {
      counts.merge(x, 1L, Long::sum);
    }
    if (counts.size() > ValueCounts.LIMIT) {
      return ValueCounts.OVER;
    }
    return ValueCounts.of(
        counts.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
        counts.values().stream().mapToLong(Long::longValue).toArray());
  }

  private static ValueCounts counted(double[] values) {
    DistinctCounts distinct = new DistinctCounts();
    for (double x : values) {
      distinct.add(x);
    }
    return distinct.toValueCounts();
  }

  /** {@code n} values drawn from {@code distinct} different ones (all of them when n allows). */
  private static double[] drawn(int n, int distinct, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      // Every one of the distinct values first, then repeats, then shuffled.
      values[i] = (i < distinct ? i : random.nextInt(distinct)) * 0.01 - 7.5;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    return values;
  }

  @Property(tries = 40)
  void countsEveryValueOrKnowsThereAreTooMany(
      @ForAll @IntRange(min = 1, max = 30_000) int n,
      @ForAll @IntRange(min = ValueCounts.LIMIT - 3, max = ValueCounts.LIMIT + 3) int distinct,
      @ForAll long seed) {
    double[] values = drawn(n, Math.min(n, distinct), seed);

    assertThat(counted(values)).isEqualTo(expected(values));
  }

  @Property(tries = 40)
  void manyDistinctValuesAreTooMany(
      @ForAll @IntRange(min = ValueCounts.LIMIT + 1, max = 30_000) int distinct,
      @ForAll long seed) {
    double[] values = drawn(distinct + distinct / 3, distinct, seed);

    assertThat(counted(values)).isEqualTo(ValueCounts.OVER);
  }

  @Property(tries = 40)
  void fewValuesRepeatedPastTheBufferAreCountedExactly(
      @ForAll @IntRange(min = 1, max = 40) int distinct, @ForAll long seed) {
    double[] values = drawn(50_000, distinct, seed);

    assertThat(counted(values)).isEqualTo(expected(values));
  }

  @Example
  void exactlyTheLimitOfDistinctValuesEachTwiceStaysExact() {
    double[] values = new double[2 * ValueCounts.LIMIT];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % ValueCounts.LIMIT;
    }

    ValueCounts counts = counted(values);

    assertThat(counts.exact()).isTrue();
    assertThat(counts).isEqualTo(expected(values));
  }

  @Example
  void zeroAndNegativeZeroAreTwoValues() {
    assertThat(counted(new double[] {0.0, -0.0, 0.0}))
        .isEqualTo(expected(new double[] {0.0, -0.0, 0.0}));
  }

  @Example
  void snapshotsBetweenAddsAgreeWithTheWhole() {
    double[] values = drawn(20_000, ValueCounts.LIMIT + 1, 7);
    DistinctCounts distinct = new DistinctCounts();
    for (int i = 0; i < values.length; i++) {
      distinct.add(values[i]);
      if (i == 100 || i == ValueCounts.LIMIT || i == 9_000) {
        double[] sofar = Arrays.copyOf(values, i + 1);
        assertThat(distinct.toValueCounts()).isEqualTo(expected(sofar));
      }
    }

    assertThat(distinct.toValueCounts()).isEqualTo(ValueCounts.OVER);
  }
}
