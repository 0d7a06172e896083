package io.fetchstats.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * One accumulator reset between chunks gives each chunk the statistics a new accumulator gives it:
 * nothing of a chunk (digits, extremes, sketch range, exact counts or their giving up) reaches the
 * next. The chunks alternate between kinds that leave the most behind: many distinct values (the
 * exact counts give up), few (the hash fills), wide and narrow ranges, non-finite values.
 */
class FieldAccumulatorResetTest {

  @Property(tries = 60)
  void aResetAccumulatorCountsEachChunkAsANewOne(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    FieldAccumulator reused = new FieldAccumulator();
    for (int chunk = 0; chunk < 6; chunk++) {
      Chunk cells = Chunk.random(random);
      reused.reset();
      cells.addTo(reused);
      FieldAccumulator fresh = new FieldAccumulator();
      cells.addTo(fresh);
      assertThat(reused.snapshot()).isEqualTo(fresh.snapshot());
    }
  }

  @Property(tries = 20)
  void aSnapshotMidwayChangesNothingAfterAReset(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    FieldAccumulator reused = new FieldAccumulator();
    Chunk.random(random).addTo(reused);
    reused.snapshot();
    Chunk next = Chunk.random(random);
    reused.reset();
    next.addTo(reused);
    FieldAccumulator fresh = new FieldAccumulator();
    next.addTo(fresh);
    assertThat(reused.snapshot()).isEqualTo(fresh.snapshot());
  }

  /** A chunk's cells of one field: values, and how many were missing and not numbers. */
  private record Chunk(double[] values, int missing, int nonNumeric) {
    static Chunk random(SplittableRandom random) {
      int n =
          switch (random.nextInt(4)) {
            case 0 -> random.nextInt(0, 50);
            case 1 -> random.nextInt(ValueCounts.LIMIT - 10, ValueCounts.LIMIT + 10);
            default -> random.nextInt(5_000, 12_000);
          };
      double[] values = new double[n];
      int distinct = random.nextBoolean() ? random.nextInt(1, 100) : Integer.MAX_VALUE;
      int kind = random.nextInt(Data.KINDS);
      for (int i = 0; i < n; i++) {
        values[i] =
            distinct == Integer.MAX_VALUE
                ? Data.value(random, kind)
                : random.nextInt(distinct) * (kind == 0 ? 1e-3 : 1e6);
        if (random.nextInt(500) == 0) {
          values[i] = random.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
        }
      }
      return new Chunk(values, random.nextInt(3), random.nextInt(3));
    }

    void addTo(FieldAccumulator accumulator) {
      for (double x : values) {
        accumulator.add(x);
      }
      for (int i = 0; i < missing; i++) {
        accumulator.addMissing();
      }
      for (int i = 0; i < nonNumeric; i++) {
        accumulator.addNonNumeric();
      }
    }
  }
}
