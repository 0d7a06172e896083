package io.fetchstats.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SketchCounts buckets exactly as DDSketch with the same mapping and a dense store does. */
class SketchCountsTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void randomBitPatternsOfEveryMagnitudeAndSign(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values =
        DoubleStream.generate(() -> Double.longBitsToDouble(random.nextLong()))
            .filter(Double::isFinite)
            .limit(20_000)
            .toArray();

    assertSameAsDdSketch(values);
  }

  @ParameterizedTest
  @ValueSource(longs = {5, 6})
  void valuesOfOneRangeInRandomOrder(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values =
        DoubleStream.generate(() -> random.nextGaussian() * 15 + (seed == 5 ? 100 : 0))
            .limit(50_000)
            .toArray();

    assertSameAsDdSketch(values);
  }

  @Test
  void bucketBoundsAndTheirNeighbours() {
    DoubleStream.Builder values = DoubleStream.builder();
    for (int index = -1500; index <= 1500; index++) {
      double bound = Sketch.MAPPING.lowerBound(index);
      for (double v : new double[] {Math.nextDown(bound), bound, Math.nextUp(bound)}) {
        values.add(v).add(-v);
      }
    }
    assertSameAsDdSketch(values.build().toArray());
  }

  /** The ends of every cell of SketchCounts' index table, and magnitudes just past them. */
  @Test
  void everyCellOfTheIndexTable() {
    DoubleStream.Builder values = DoubleStream.builder();
    long first = Double.doubleToRawLongBits(0x1p-32);
    long last = Double.doubleToRawLongBits(0x1p32);
    for (long cell = first; cell <= last; cell += 1L << 43) {
      for (long bits : new long[] {cell - 1, cell, cell + 1, cell + (1L << 42)}) {
        values.add(Double.longBitsToDouble(bits)).add(-Double.longBitsToDouble(bits));
      }
    }
    assertSameAsDdSketch(values.build().toArray());
  }

  @Test
  void magnitudesSpreadOverTheIndexTable() {
    SplittableRandom random = new SplittableRandom(9);
    double[] values =
        DoubleStream.generate(() -> Math.scalb(random.nextDouble(1, 2), random.nextInt(-34, 34)))
            .limit(200_000)
            .toArray();

    assertSameAsDdSketch(values);
  }

  @Test
  void zeroSubnormalAndExtremeMagnitudes() {
    double min = Sketch.MAPPING.minIndexableValue();
    double max = Sketch.MAPPING.maxIndexableValue();
    DoubleStream.Builder values = DoubleStream.builder();
    for (double v :
        new double[] {
          0.0,
          Double.MIN_VALUE,
          1e-310,
          Double.MIN_NORMAL,
          Math.nextDown(min),
          min,
          Math.nextUp(min),
          1e-300,
          1,
          1e300,
          Math.nextDown(max),
          max,
          Math.nextUp(max),
          Double.MAX_VALUE
        }) {
      values.add(v).add(-v);
    }
    assertSameAsDdSketch(values.build().toArray());
  }

  private static void assertSameAsDdSketch(double[] values) {
    SketchCounts counts = new SketchCounts();
    DDSketch reference = new DDSketch(Sketch.MAPPING, UnboundedSizeDenseStore::new);
    double max = Sketch.MAPPING.maxIndexableValue();
    for (double v : values) {
      counts.add(v);
      // DDSketch refuses magnitudes past its last bucket; SketchCounts counts them in it.
      reference.accept(Math.abs(v) <= max ? v : Math.copySign(max, v));
    }

    Store negative = reference.getNegativeValueStore();
    Store positive = reference.getPositiveValueStore();
    Sketch expected =
        new Sketch(
            Math.round(reference.getCount() - negative.getTotalCount() - positive.getTotalCount()),
            buckets(negative),
            buckets(positive));
    assertThat(counts.toSketch()).isEqualTo(expected);
  }

  private static Sketch.Buckets buckets(Store store) {
    Bin[] bins = store.getAscendingStream().filter(bin -> bin.getCount() > 0).toArray(Bin[]::new);
    int[] indexes = new int[bins.length];
    long[] sums = new long[bins.length];
    for (int i = 0; i < bins.length; i++) {
      indexes[i] = bins[i].getIndex();
      sums[i] = Math.round(bins[i].getCount());
    }
    return Sketch.Buckets.of(indexes, sums);
  }
}
