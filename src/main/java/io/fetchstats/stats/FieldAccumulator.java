package io.fetchstats.stats;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Exact statistics of one field of one chunk, for the parsing hot loop: mutable, single-threaded,
 * no allocation per {@link #add}, and {@link #reset} for the next chunk, since allocating its
 * arrays anew for every chunk cost more than parsing it where fresh memory is dear.
 *
 * <p>Σx and Σx² are kept exactly in two superaccumulators (Neal 2015) so that the published,
 * once-rounded results are bit-identical however values are grouped (DESIGN.md, "Statistics
 * contract"). A superaccumulator is an integer in base 2^32 whose digits are signed longs; carries
 * are propagated after every batch.
 *
 * <p>Values are buffered and taken a batch at a time in one tight loop, which also lets most of
 * them skip the digits: values within {@value #WINDOW} binades below the largest seen before the
 * batch are summed as integers in a few local accumulators, added to the digits once per batch. The
 * others (new largest values, much smaller ones) go to the digits one by one.
 *
 * <p>Σx² squares the 53-bit integer significand instead of splitting {@code x*x} with {@code
 * Math.fma}, since {@code x*x} underflows or overflows for tiny and huge x.
 */
public final class FieldAccumulator {

  private static final long DIGIT_MASK = 0xFFFF_FFFFL;
  private static final long FRACTION_MASK = (1L << 52) - 1;

  /*
   * Σx·2^1074 < 2^63 · 2^2098; in two's complement that fits 2162 bits, i.e. 68 digits with a
   * signed top digit. An add reaches digit (2067 >>> 5) + 2 = 66 at most (addAt, below).
   */
  static final int SUM_DIGITS = 70;
  /* Σx²·2^2148 < 2^63 · 2^4196 fits 134 digits. An add reaches digit (4166 >>> 5) + 2 = 132. */
  static final int SQUARE_DIGITS = 136;

  /*
   * Binades below the largest value so far that the local sums take: a signed significand shifted
   * by up to 10 bits fits a long, its square shifted by up to 20 fits two.
   */
  private static final int WINDOW = 10;

  /*
   * Right after carrying, every digit but the top is in [0, 2^32) and the top digit is never
   * written by an add. A batch moves a digit by less than 2^32 per value and 2^33 per addAt (three
   * at most), far inside a long.
   */
  static final int DEFAULT_BATCH = 256;

  private final long[] sum = new long[SUM_DIGITS];
  private final long[] squares = new long[SQUARE_DIGITS];

  // The digits written since the last carry: only they (and what they carry into) need carrying.
  private int sumFrom = SUM_DIGITS;
  private int sumTo = -1;
  private int squaresFrom = SQUARE_DIGITS;
  private int squaresTo = -1;
  private final double[] batch;
  private int batched;

  /** The largest bit offset p of a value so far; the local sums take the WINDOW offsets below. */
  private int largestOffset;

  private long count;
  private long missing;
  private long nonNumeric;
  private long nonFinite;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private final SketchCounts sketch = new SketchCounts();
  private final DistinctCounts distinct = new DistinctCounts();

  public FieldAccumulator() {
    this(DEFAULT_BATCH);
  }

  /** For tests: small batches make the carries and the batch boundaries frequent. */
  FieldAccumulator(int batchSize) {
    if (batchSize < 1 || batchSize > DEFAULT_BATCH) {
      throw new IllegalArgumentException("batchSize " + batchSize);
    }
    this.batch = new double[batchSize];
  }

  /** Adds a value: finite ones to the moments; NaN and ±Infinity only count as non-finite. */
  public void add(double x) {
    batch[batched++] = x;
    if (batched == batch.length) {
      flush();
    }
  }

  /** Takes in the batched values and empties the batch. */
  private void flush() {
    double[] xs = batch;
    int base = Math.max(0, largestOffset - WINDOW);
    int largest = largestOffset;
    int finite = 0;
    long minKey = orderKey(min);
    long maxKey = orderKey(max);
    long sumLow = 0;
    long sumHigh = 0;
    long sq0 = 0;
    long sq1 = 0;
    long sq2 = 0;
    long sq3 = 0;
    for (int k = 0; k < batched; k++) {
      double x = xs[k];
      long bits = Double.doubleToRawLongBits(x);
      int biasedExponent = (int) (bits >>> 52) & 0x7FF;
      if (biasedExponent == 0x7FF) {
        nonFinite++;
        continue;
      }
      finite++;
      long key = orderKey(bits);
      minKey = Math.min(minKey, key);
      maxKey = Math.max(maxKey, key);
      // |x| = m · 2^(p - 1074): hidden bit and exponent shift only for normal numbers.
      int normal = (-biasedExponent) >>> 31;
      long m = (bits & FRACTION_MASK) | ((long) normal << 52);
      int p = biasedExponent - normal;
      long sign = bits >> 63; // 0 or -1: (v ^ sign) - sign negates v when x < 0
      largest = Math.max(largest, p);
      int d = p - base;
      if (d < 0 || d > WINDOW) {
        addToDigits(m, p, sign);
      } else {
        long v = ((m ^ sign) - sign) << d; // ±m · 2^d, |v| < 2^63
        sumLow += v & DIGIT_MASK; // v = (v >> 32) · 2^32 + (v & DIGIT_MASK)
        sumHigh += v >> 32;
        // m² · 2^(2d) < 2^126, as two longs.
        int s = d << 1;
        long sqLow = m * m;
        long sqHigh = (Math.multiplyHigh(m, m) << s) | ((sqLow >>> 1) >>> (63 - s));
        sqLow <<= s;
        sq0 += sqLow & DIGIT_MASK;
        sq1 += sqLow >>> 32;
        sq2 += sqHigh & DIGIT_MASK;
        sq3 += sqHigh >>> 32;
      }
      sketch.add(x);
      distinct.add(x);
    }
    batched = 0;
    count += finite;
    largestOffset = largest;
    min = Double.longBitsToDouble(orderKey(minKey));
    max = Double.longBitsToDouble(orderKey(maxKey));
    addAt(sum, sumLow, base);
    addAt(sum, sumHigh, base + 32);
    int base2 = base << 1;
    addAt(squares, sq0, base2);
    addAt(squares, sq1, base2 + 32);
    addAt(squares, sq2, base2 + 64);
    addAt(squares, sq3, base2 + 96);
    carry(sum, Math.min(sumFrom, base >>> 5), Math.max(sumTo, ((base + 32) >>> 5) + 2));
    carry(
        squares, Math.min(squaresFrom, base2 >>> 5), Math.max(squaresTo, ((base2 + 96) >>> 5) + 2));
    sumFrom = SUM_DIGITS;
    sumTo = -1;
    squaresFrom = SQUARE_DIGITS;
    squaresTo = -1;
  }

  private static long orderKey(double x) {
    return orderKey(Double.doubleToRawLongBits(x));
  }

  /**
   * The bits of a non-NaN double with those of negative values flipped but the sign: as longs, the
   * keys order like the values, -0.0 below +0.0 as {@code Math.min} has it, and are compared with
   * integer instructions. The same map turns a key back into bits.
   */
  private static long orderKey(long bits) {
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  /** Adds ±m · 2^p to Σx and m² · 2^2p to Σx², in pieces of less than 2^32. */
  private void addToDigits(long m, int p, long sign) {
    // Σx: m << r spans at most 84 bits, split into three 32-bit pieces.
    int i = p >>> 5;
    int r = p & 31;
    long low = m << r;
    long high = m >>> (32 - r);
    long[] s = sum;
    s[i] += ((low & DIGIT_MASK) ^ sign) - sign;
    s[i + 1] += ((high & DIGIT_MASK) ^ sign) - sign;
    s[i + 2] += ((high >>> 32) ^ sign) - sign;
    sumFrom = Math.min(sumFrom, i);
    sumTo = Math.max(sumTo, i + 2);

    // Σx²: m² is a 106-bit integer at bit offset 2p; shifted, it spans at most 137 bits.
    long sqLow = m * m;
    long sqHigh = Math.multiplyHigh(m, m);
    int q = p << 1;
    int j = q >>> 5;
    int r2 = q & 31;
    long w0 = sqLow << r2;
    long w1 = (sqHigh << r2) | ((sqLow >>> 1) >>> (63 - r2)); // double shift: r2 may be 0
    long w2 = (sqHigh >>> 1) >>> (63 - r2);
    long[] t = squares;
    t[j] += w0 & DIGIT_MASK;
    t[j + 1] += w0 >>> 32;
    t[j + 2] += w1 & DIGIT_MASK;
    t[j + 3] += w1 >>> 32;
    t[j + 4] += w2;
    squaresFrom = Math.min(squaresFrom, j);
    squaresTo = Math.max(squaresTo, j + 4);
  }

  /** Adds a · 2^q exactly, for |a| < 2^63, in pieces of less than 2^33. */
  private static void addAt(long[] digits, long a, int q) {
    int i = q >>> 5;
    int r = q & 31;
    long low = (a & DIGIT_MASK) << r; // a = (a >> 32) · 2^32 + (a & DIGIT_MASK)
    long high = (a >> 32) << r;
    digits[i] += low & DIGIT_MASK;
    digits[i + 1] += (low >>> 32) + (high & DIGIT_MASK);
    digits[i + 2] += high >> 32;
  }

  /** Empties the accumulator for another chunk, keeping its arrays. */
  public void reset() {
    Arrays.fill(sum, 0);
    Arrays.fill(squares, 0);
    sumFrom = SUM_DIGITS;
    sumTo = -1;
    squaresFrom = SQUARE_DIGITS;
    squaresTo = -1;
    batched = 0;
    largestOffset = 0;
    count = 0;
    missing = 0;
    nonNumeric = 0;
    nonFinite = 0;
    min = Double.POSITIVE_INFINITY;
    max = Double.NEGATIVE_INFINITY;
    sketch.reset();
    distinct.reset();
  }

  public void addMissing() {
    missing++;
  }

  public void addNonNumeric() {
    nonNumeric++;
  }

  /** An immutable copy of the current state. */
  public FieldStats snapshot() {
    BigInteger scaledSum = BigInteger.ZERO;
    BigInteger scaledSumOfSquares = BigInteger.ZERO;
    flush();
    if (count != 0) {
      scaledSum = toBigInteger(sum);
      scaledSumOfSquares = toBigInteger(squares);
    }
    return new FieldStats(
        count,
        missing,
        nonNumeric,
        nonFinite,
        scaledSum,
        scaledSumOfSquares,
        min,
        max,
        sketch.toSketch(),
        distinct.toValueCounts());
  }

  /** Leaves every digit but the top in [0, 2^32); the top digit keeps the signed rest. */
  /**
   * Carries from digit {@code from} on, once past digit {@code to} only while a carry is left: the
   * digits above were left in [0, 2^32) by the last carry and not written since.
   */
  private static void carry(long[] digits, int from, int to) {
    long c = 0;
    int top = digits.length - 1;
    int k = from;
    for (; k < top && (k <= to || c != 0); k++) {
      long v = digits[k] + c;
      c = v >> 32;
      digits[k] = v & DIGIT_MASK;
    }
    if (k == top) {
      digits[top] += c;
    }
  }

  /** Σ digits[k] · 2^(32k) for normalised digits, via big-endian two's complement bytes. */
  private static BigInteger toBigInteger(long[] digits) {
    int top = digits.length - 1;
    byte[] bytes = new byte[8 + 4 * top];
    long head = digits[top];
    for (int b = 0; b < 8; b++) {
      bytes[b] = (byte) (head >>> (56 - 8 * b));
    }
    int pos = 8;
    for (int k = top - 1; k >= 0; k--) {
      int v = (int) digits[k];
      bytes[pos++] = (byte) (v >>> 24);
      bytes[pos++] = (byte) (v >>> 16);
      bytes[pos++] = (byte) (v >>> 8);
      bytes[pos++] = (byte) v;
    }
    return new BigInteger(bytes);
  }
}
