package io.fetchstats.stats;

import java.util.Arrays;

/**
 * A field's distinct finite values and their counts as they arrive, for the parsing hot loop, given
 * up (until a {@link #reset}) once there are more than {@link ValueCounts#LIMIT}, after which an
 * add is one branch.
 *
 * <p>Values are counted in an open-addressing hash of their bits (linear probing, at most half
 * full), but not one by one: they wait in a buffer of up to {@link #BUFFERED}. A chunk of a field
 * of many values (ids, measurements) so never touches the hash, whose random writes cost more than
 * the parsing of the chunk: from the {@code LIMIT + 1}-th value on, each value also sets one bit of
 * {@link #PROOF_BITS} chosen by its hash, and since equal values set the same bit, more than {@code
 * LIMIT} bits set prove more than {@code LIMIT} distinct values. The bits never decide otherwise:
 * fewer of them set only leave the values to the hash, which counts them exactly.
 *
 * <p>At most {@link #BUFFERED} · 8 bytes of buffer, 8 KiB of bits and 2 · {@link ValueCounts#LIMIT}
 * slots of 16 bytes of hash: 200 KiB, kept through {@link #reset} for the next chunk.
 */
final class DistinctCounts {

  private static final int INITIAL_SLOTS = 16;

  /** Values waiting to be counted, at most: more than LIMIT, so the bits can start within it. */
  private static final int BUFFERED = 2 * ValueCounts.LIMIT;

  /** 2^16 bits, 8 KiB: they hold LIMIT + 1 distinct values with few collisions. */
  private static final int PROOF_BITS = 1 << 16;

  private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

  private boolean over;

  /** The bits of the values not yet counted in the hash. */
  private long[] buffer = new long[INITIAL_SLOTS];

  private int buffered;
  private long added;

  /**
   * One bit per hash of every value added, from the LIMIT + 1-th on (while added > LIMIT); null
   * until first needed.
   */
  private long[] proof;

  private int proofBitsSet;

  private long[] keys = new long[INITIAL_SLOTS];

  /** A slot's count; 0 marks an empty slot (every key present has been counted). */
  private long[] counts = new long[INITIAL_SLOTS];

  private int size;
  private int shift = 64 - Integer.numberOfTrailingZeros(INITIAL_SLOTS);

  /** Counts a finite value, unless there are already too many distinct ones. */
  void add(double x) {
    if (over) {
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    if (buffered == buffer.length) {
      if (buffered < BUFFERED) {
        buffer = Arrays.copyOf(buffer, 2 * buffered);
      } else if (!countBuffered()) {
        return;
      }
    }
    buffer[buffered++] = bits;
    if (added > ValueCounts.LIMIT) {
      prove(bits);
    } else if (++added > ValueCounts.LIMIT) {
      // The buffered values set their bits too: all so far, unless a snapshot counted some (bits
      // of part of the values prove as much as their own distinct values).
      if (proof == null) {
        proof = new long[PROOF_BITS / 64];
      }
      for (int i = 0; i < buffered && !over; i++) {
        prove(buffer[i]);
      }
    }
  }

  /** Sets the value's bit; past the limit of bits set, drops everything: too many values. */
  private void prove(long bits) {
    int bit = (int) ((bits * GOLDEN) >>> 48);
    long mask = 1L << bit; // the shift takes bit mod 64
    long[] words = proof;
    if ((words[bit >>> 6] & mask) == 0) {
      words[bit >>> 6] |= mask;
      if (++proofBitsSet > ValueCounts.LIMIT) {
        over = true;
      }
    }
  }

  /** Counts the buffered values in the hash; false if they are too many distinct values. */
  private boolean countBuffered() {
    for (int i = 0; i < buffered; i++) {
      if (!count(buffer[i])) {
        over = true;
        return false;
      }
    }
    buffered = 0;
    return true;
  }

  /** Counts one value in the hash; false if it is one distinct value over the limit. */
  private boolean count(long bits) {
    int mask = keys.length - 1;
    int slot = slot(bits);
    while (counts[slot] != 0) {
      if (keys[slot] == bits) {
        counts[slot]++;
        return true;
      }
      slot = (slot + 1) & mask;
    }
    if (size == ValueCounts.LIMIT) {
      return false;
    }
    keys[slot] = bits;
    counts[slot] = 1;
    if (++size * 2 > keys.length) {
      grow();
    }
    return true;
  }

  /** Forgets every value for another chunk, keeping the arrays. */
  void reset() {
    if (added > ValueCounts.LIMIT) {
      Arrays.fill(proof, 0);
    }
    if (size != 0) {
      Arrays.fill(counts, 0);
    }
    over = false;
    proofBitsSet = 0;
    buffered = 0;
    added = 0;
    size = 0;
  }

  /** Fibonacci hashing: the top bits of the product spread keys that differ in low bits. */
  private int slot(long bits) {
    return (int) ((bits * GOLDEN) >>> shift);
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
    if (over || !countBuffered()) {
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
