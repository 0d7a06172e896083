package io.fetchstats.stats;

import java.math.BigInteger;

/**
 * Exact statistics of one field of one chunk, for the parsing hot loop: mutable, single-threaded,
 * no allocation per {@link #add}.
 *
 * <p>Σx and Σx² are kept exactly in two superaccumulators (Neal 2015) so that the published,
 * once-rounded results are bit-identical however values are grouped (DESIGN.md, "Statistics
 * contract"). A superaccumulator is an integer in base 2^32 whose digits are signed longs: each add
 * puts pieces of less than 2^32 into a few digits without carrying, and carries are propagated only
 * every {@code normaliseInterval} adds, before any digit could overflow.
 *
 * <p>Σx² squares the 53-bit integer significand instead of splitting {@code x*x} with {@code
 * Math.fma}, since {@code x*x} underflows or overflows for tiny and huge x.
 */
public final class FieldAccumulator {

  private static final long DIGIT_MASK = 0xFFFF_FFFFL;
  private static final long FRACTION_MASK = (1L << 52) - 1;

  /*
   * Σx·2^1074 < 2^63 · 2^2098; in two's complement that fits 2162 bits, i.e. 68 digits with a
   * signed top digit. An add reaches digit (2045 >>> 5) + 2 = 65 at most.
   */
  static final int SUM_DIGITS = 70;
  /* Σx²·2^2148 < 2^63 · 2^4196 fits 134 digits. An add reaches digit (4090 >>> 5) + 4 = 131. */
  static final int SQUARE_DIGITS = 136;

  /*
   * Right after a normalisation every digit but the top is in [0, 2^32) and the top digit
   * is never written by an add; each add moves a digit by less than 2^32. After k adds a
   * digit is inside (-k·2^32, (k+1)·2^32), which fits a long for k up to 2^31 - 2.
   */
  static final int DEFAULT_NORMALISE_INTERVAL = 1 << 30;

  private final long[] sum = new long[SUM_DIGITS];
  private final long[] squares = new long[SQUARE_DIGITS];
  private final int normaliseInterval;
  private int untilNormalise;

  private long count;
  private long missing;
  private long nonNumeric;
  private long nonFinite;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private final SketchCounts sketch = new SketchCounts();

  public FieldAccumulator() {
    this(DEFAULT_NORMALISE_INTERVAL);
  }

  /** For tests: a small interval makes the carry propagation reachable. */
  FieldAccumulator(int normaliseInterval) {
    if (normaliseInterval < 1 || normaliseInterval > DEFAULT_NORMALISE_INTERVAL) {
      throw new IllegalArgumentException("normaliseInterval " + normaliseInterval);
    }
    this.normaliseInterval = normaliseInterval;
    this.untilNormalise = normaliseInterval;
  }

  /** Adds a finite value to the moments; NaN and ±Infinity only count as non-finite. */
  public void add(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int biasedExponent = (int) (bits >>> 52) & 0x7FF;
    if (biasedExponent == 0x7FF) {
      nonFinite++;
      return;
    }
    // |x| = m · 2^(p - 1074): hidden bit and exponent shift only for normal numbers.
    int normal = (-biasedExponent) >>> 31;
    long m = (bits & FRACTION_MASK) | ((long) normal << 52);
    int p = biasedExponent - normal;
    long sign = bits >> 63; // 0 or -1: (v ^ sign) - sign negates v when x < 0

    // Σx: m << r spans at most 84 bits, split into three 32-bit pieces.
    int i = p >>> 5;
    int r = p & 31;
    long low = m << r;
    long high = m >>> (32 - r);
    long[] s = sum;
    s[i] += ((low & DIGIT_MASK) ^ sign) - sign;
    s[i + 1] += ((high & DIGIT_MASK) ^ sign) - sign;
    s[i + 2] += ((high >>> 32) ^ sign) - sign;

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

    count++;
    min = Math.min(min, x);
    max = Math.max(max, x);
    sketch.add(Sketch.trackable(x));
    if (--untilNormalise == 0) {
      normalise();
    }
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
    if (count != 0) {
      normalise();
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
        sketch.toSketch());
  }

  private void normalise() {
    carry(sum);
    carry(squares);
    untilNormalise = normaliseInterval;
  }

  /** Leaves every digit but the top in [0, 2^32); the top digit keeps the signed rest. */
  private static void carry(long[] digits) {
    long c = 0;
    int top = digits.length - 1;
    for (int k = 0; k < top; k++) {
      long v = digits[k] + c;
      c = v >> 32;
      digits[k] = v & DIGIT_MASK;
    }
    digits[top] += c;
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
