package io.fetchstats.stats;

import java.util.Arrays;

/**
 * The buckets of a {@link Sketch} as they fill, for the parsing hot loop: DDSketch's bucket index
 * ({@link Sketch#MAPPING}) into one dense array of integer counts. DDSketch's own stores count in
 * doubles behind an interface and pick a store by a branch on the sign, which mixed-sign data
 * mispredicts; here both signs share the array, interleaved (key = 2·index + sign), so an add is
 * one index computation and one increment.
 */
final class SketchCounts {

  /** Magnitudes at or below this have no bucket and count as zero, as in DDSketch. */
  private static final long MIN_INDEXED_BITS =
      Double.doubleToRawLongBits(Math.max(0, Sketch.MAPPING.minIndexableValue()));

  /**
   * The largest magnitude the mapping has a bucket for (just short of Double.MAX_VALUE); the few
   * finite magnitudes past it count in its bucket, so their quantiles read within the accuracy of
   * the largest double.
   */
  private static final long MAX_TRACKABLE_BITS =
      Double.doubleToRawLongBits(Sketch.MAPPING.maxIndexableValue());

  /** Keys the array grows by at least, so that a widening range does not copy at every add. */
  private static final int GROWTH = 64;

  private long zeroCount;
  private long[] counts = new long[0];

  /** The key of {@code counts[0]}. */
  private int firstKey;

  /** Counts a finite value. */
  void add(double x) {
    long bits = Double.doubleToRawLongBits(x);
    long magnitude = bits & Long.MAX_VALUE;
    // Bits of non-negative doubles order like their values: one unsigned comparison tells whether
    // MIN_INDEXED < |x| <= MAX_TRACKABLE.
    if (Long.compareUnsigned(
            magnitude - MIN_INDEXED_BITS - 1, MAX_TRACKABLE_BITS - MIN_INDEXED_BITS - 1)
        > 0) {
      if (magnitude <= MIN_INDEXED_BITS) {
        zeroCount++;
        return;
      }
      magnitude = MAX_TRACKABLE_BITS;
    }
    int key = (Sketch.MAPPING.index(Double.longBitsToDouble(magnitude)) << 1) | (int) (bits >>> 63);
    int slot = key - firstKey;
    if (slot < 0 || slot >= counts.length) {
      slot = widen(key);
    }
    counts[slot]++;
  }

  /** Makes room for {@code key}; returns its slot. */
  private int widen(int key) {
    if (counts.length == 0) {
      counts = new long[GROWTH];
      firstKey = key - GROWTH / 2;
      return key - firstKey;
    }
    int lastKey = firstKey + counts.length - 1;
    int newFirst = Math.min(firstKey, key - GROWTH);
    int newLast = Math.max(lastKey, key + GROWTH);
    long[] wider = new long[newLast - newFirst + 1];
    System.arraycopy(counts, 0, wider, firstKey - newFirst, counts.length);
    counts = wider;
    firstKey = newFirst;
    return key - firstKey;
  }

  /** The non-empty buckets so far. */
  Sketch toSketch() {
    return new Sketch(zeroCount, buckets(1), buckets(0));
  }

  /** The non-empty buckets of one sign (1 negative, 0 positive), in ascending index order. */
  private Sketch.Buckets buckets(int sign) {
    int[] indexes = new int[counts.length];
    long[] sums = new long[counts.length];
    int n = 0;
    for (int slot = 0; slot < counts.length; slot++) {
      int key = firstKey + slot;
      if (counts[slot] != 0 && (key & 1) == sign) {
        indexes[n] = key >> 1;
        sums[n++] = counts[slot];
      }
    }
    return Sketch.Buckets.of(Arrays.copyOf(indexes, n), Arrays.copyOf(sums, n));
  }
}
