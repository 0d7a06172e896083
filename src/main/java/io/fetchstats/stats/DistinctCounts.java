package io.fetchstats.stats;

import java.util.Arrays;

/**
 * A field's distinct finite values and their counts as they arrive, for the parsing hot loop: an
 * open-addressing hash of the values' bits (linear probing, at most half full), dropped for good
 * once there are more than {@link ValueCounts#LIMIT}, after which an add is one branch. At most 2 ·
 * {@link ValueCounts#LIMIT} slots of 16 bytes: 128 KiB.
 */
final class DistinctCounts {

  private static final int INITIAL_SLOTS = 16;

  private long[] keys = new long[INITIAL_SLOTS];

  /** A slot's count; 0 marks an empty slot (every key present has been counted). */
  private long[] counts = new long[INITIAL_SLOTS];

  private int size;
  private int shift = 64 - Integer.numberOfTrailingZeros(INITIAL_SLOTS);

  /** Counts a finite value, unless there are already too many distinct ones. */
  void add(double x) {
    if (counts == null) {
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    int mask = keys.length - 1;
    int slot = slot(bits);
    while (counts[slot] != 0) {
      if (keys[slot] == bits) {
        counts[slot]++;
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (size == ValueCounts.LIMIT) {
      keys = null;
      counts = null;
      return;
    }
    keys[slot] = bits;
    counts[slot] = 1;
    if (++size * 2 > keys.length) {
      grow();
    }
  }

  /** Fibonacci hashing: the top bits of the product spread keys that differ in low bits. */
  private int slot(long bits) {
    return (int) ((bits * 0x9E37_79B9_7F4A_7C15L) >>> shift);
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    keys = new long[oldKeys.length * 2];
    counts = new long[oldKeys.length * 2];
    shift--;
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldCounts[i] != 0) {
        int slot = slot(oldKeys[i]);
        while (counts[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        counts[slot] = oldCounts[i];
      }
    }
  }

  /** The counts so far, by ascending value; {@link ValueCounts#OVER} if too many. */
  ValueCounts toValueCounts() {
    if (counts == null) {
      return ValueCounts.OVER;
    }
    double[] values = new double[size];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (counts[i] != 0) {
        values[n++] = Double.longBitsToDouble(keys[i]);
      }
    }
    Arrays.sort(values); // as Double.compare: -0.0 before 0.0
    long[] sorted = new long[size];
    int mask = keys.length - 1;
    for (int i = 0; i < size; i++) {
      long bits = Double.doubleToRawLongBits(values[i]);
      int slot = slot(bits);
      while (keys[slot] != bits || counts[slot] == 0) {
        slot = (slot + 1) & mask;
      }
      sorted[i] = counts[slot];
    }
    return ValueCounts.ofOwned(values, sorted);
  }
}
