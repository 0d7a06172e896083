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

  /*
   * Most magnitudes take their bucket index from a table rather than from the mapping's
   * polynomial: [2^-32, 2^32) is cut into cells of 1/512 binade (the top 9 bits of the
   * significand), and a cell holds the index the mapping gives just outside both of its ends
   * (CELL_MARGIN, relative) if that is one index. The mapping floors y = multiplier · (e + P(s)) +
   * offset for x = 2^e · (1 + s), which grows with x by at least 49 per unit of ln x (34.9 buckets
   * a binade, P'(s) · (1 + s) >= 10/7): over the margin y moves by more than 4e-8, while its
   * rounding errors stay below 1e-12 in this range, so every magnitude inside such a cell has that
   * index too. A cell that a bucket boundary crosses (2,240 of 32,768) holds CROSSED, and its
   * magnitudes are mapped one by one.
   */
  private static final int CELL_SHIFT = 52 - 9;
  private static final long FIRST_CELL = Double.doubleToRawLongBits(0x1p-32) >>> CELL_SHIFT;
  private static final int CELLS = 64 << 9;
  private static final double CELL_MARGIN = 1e-9;
  private static final int CROSSED = Integer.MIN_VALUE; // no bucket has this index
  private static final int[] CELL_INDEXES = cellIndexes();

  /** Keys the array grows by at least, so that a widening range does not copy at every add. */
  private static final int GROWTH = 64;

  /**
   * Keys a reset keeps: enough for 29 binades of both signs; a wider array, which every snapshot
   * scans whole, is let go.
   */
  private static final int KEPT_KEYS = 2048;

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
    int key = (index(magnitude) << 1) | (int) (bits >>> 63);
    int slot = key - firstKey;
    if (slot < 0 || slot >= counts.length) {
      slot = widen(key);
    }
    counts[slot]++;
  }

  /** The mapping's bucket index of the positive, indexable double with bits {@code magnitude}. */
  private static int index(long magnitude) {
    long cell = (magnitude >>> CELL_SHIFT) - FIRST_CELL;
    if (cell >= 0 && cell < CELL_INDEXES.length) {
      int index = CELL_INDEXES[(int) cell];
      if (index != CROSSED) {
        return index;
      }
    }
    return Sketch.MAPPING.index(Double.longBitsToDouble(magnitude));
  }

  private static int[] cellIndexes() {
    int[] indexes = new int[CELLS];
    for (int c = 0; c < CELLS; c++) {
      long first = (FIRST_CELL + c) << CELL_SHIFT;
      double below = Double.longBitsToDouble(first) * (1 - CELL_MARGIN);
      double above = Double.longBitsToDouble(first + (1L << CELL_SHIFT) - 1) * (1 + CELL_MARGIN);
      int index = Sketch.MAPPING.index(below);
      indexes[c] = Sketch.MAPPING.index(above) == index ? index : CROSSED;
    }
    return indexes;
  }

  /** Empties the counts for another chunk, keeping the array (its range likely fits the next). */
  void reset() {
    zeroCount = 0;
    if (counts.length > KEPT_KEYS) {
      counts = new long[0];
    } else {
      Arrays.fill(counts, 0);
    }
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
    // Keys of one sign are every other slot, starting at the first slot of that sign.
    int from = (firstKey & 1) == sign ? 0 : 1;
    int n = 0;
    for (int slot = from; slot < counts.length; slot += 2) {
      n += counts[slot] != 0 ? 1 : 0;
    }
    int[] indexes = new int[n];
    long[] sums = new long[n];
    n = 0;
    for (int slot = from; slot < counts.length; slot += 2) {
      if (counts[slot] != 0) {
        indexes[n] = (firstKey + slot) >> 1;
        sums[n++] = counts[slot];
      }
    }
    return Sketch.Buckets.of(indexes, sums);
  }
}
