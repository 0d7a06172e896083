package io.fetchstats.stats;

import java.math.BigInteger;

/**
 * Correct (round-half-even) rounding of exact dyadic and rational values to {@code double}.
 *
 * <p>Every published statistic is rounded exactly once from an exact value, so that results are
 * bit-identical however the underlying sums were grouped (DESIGN.md, "Statistics contract").
 */
final class ExactRounding {

  /** Exponent of the least significant bit of {@link Double#MIN_VALUE}. */
  static final int MIN_EXPONENT = -1074;

  private static final int SIGNIFICAND_BITS = 53;

  /** Bits an inexact value must carry: 53 significand bits, a round bit, and one spare. */
  private static final int QUOTIENT_BITS = SIGNIFICAND_BITS + 2;

  /** Radicand bits so that its square root has at least {@link #QUOTIENT_BITS}. */
  private static final int RADICAND_BITS = 2 * QUOTIENT_BITS + 2;

  private ExactRounding() {}

  /**
   * Rounds {@code (m + f) · 2^exp} where {@code m >= 0} and {@code f ∈ [0, 1)} is known only
   * through {@code sticky} ({@code f > 0}). If {@code sticky}, {@code m} must have at least 55 bits
   * so that the round bit lies inside {@code m}.
   */
  static double round(BigInteger m, int exp, boolean sticky) {
    int bitLength = m.bitLength();
    if (bitLength == 0) {
      if (sticky) {
        throw new IllegalArgumentException("inexact value without significant bits");
      }
      return 0.0;
    }
    // Subnormals: the lsb can never go below 2^-1074.
    int lsbExponent = Math.max(exp + bitLength - SIGNIFICAND_BITS, MIN_EXPONENT);
    int shift = lsbExponent - exp;
    if (shift <= 0) {
      if (sticky) {
        throw new IllegalArgumentException("inexact value with too few bits");
      }
      // At most 53 bits and an exponent >= -1074: exactly representable (or overflow).
      return Math.scalb((double) m.longValue(), exp);
    }
    long q = m.shiftRight(shift).longValue();
    boolean roundBit = m.testBit(shift - 1);
    boolean below = sticky || m.getLowestSetBit() < shift - 1;
    if (roundBit && (below || (q & 1) != 0)) {
      q++; // may reach 2^53: still exact as a double; scalb overflows to Infinity correctly
    }
    return Math.scalb((double) q, lsbExponent);
  }

  /** Rounds the exact value {@code v · 2^exp}; an exact zero gives +0.0. */
  static double exact(BigInteger v, int exp) {
    int sign = v.signum();
    if (sign == 0) {
      return 0.0;
    }
    double magnitude = round(v.abs(), exp, false);
    return sign < 0 ? -magnitude : magnitude;
  }

  /** Rounds {@code p / q · 2^exp} for {@code q > 0}; an exact zero gives +0.0. */
  static double quotient(BigInteger p, BigInteger q, int exp) {
    requirePositive(q);
    int sign = p.signum();
    if (sign == 0) {
      return 0.0;
    }
    BigInteger a = p.abs();
    // floor(a·2^m / q) > 2^(bitLength(a) + m - 1 - bitLength(q)) = 2^54.
    int m = QUOTIENT_BITS + q.bitLength() - a.bitLength();
    Floor floor = floorOfQuotient(a, q, m);
    double magnitude = round(floor.value(), exp - m, floor.inexact());
    return sign < 0 ? -magnitude : magnitude;
  }

  /**
   * Rounds {@code sqrt(p / q · 2^exp)} for {@code p >= 0}, {@code q > 0} and an even {@code exp}:
   * the correctly rounded square root of the exact rational.
   */
  static double sqrtQuotient(BigInteger p, BigInteger q, int exp) {
    requirePositive(q);
    if (p.signum() < 0) {
      throw new IllegalArgumentException("square root of a negative value");
    }
    if ((exp & 1) != 0) {
      throw new IllegalArgumentException("odd exponent " + exp);
    }
    if (p.signum() == 0) {
      return 0.0;
    }
    // X = floor(p·2^(2t) / q) > 2^(bitLength(p) + 2t - 1 - bitLength(q)) >= 2^(RADICAND_BITS - 1).
    // t is negative when p/q has more bits than that: the root of a radicand of thousands of bits
    // (a variance scaled by 2^2148) costs far more than the division that shortens it, and the
    // bits dropped only set the sticky bit, as a remainder does.
    int need = RADICAND_BITS + q.bitLength() - p.bitLength();
    int t = Math.floorDiv(need + 1, 2);
    Floor floor = floorOfQuotient(p, q, 2 * t);
    // And X < 2^(bitLength(p) + 2t + 1 - bitLength(q)) <= 2^(RADICAND_BITS + 2).
    Floor root = floorSqrt(floor.value());
    // sqrt(X + f) lies in [s, s + 1) and equals s only if X is a perfect square and f == 0.
    boolean sticky = floor.inexact() || root.inexact();
    return round(root.value(), exp / 2 - t, sticky);
  }

  /**
   * {@code floor(sqrt(x))} for {@code 0 <= x < 2^116}, and whether x is not its square: a double's
   * root, one Newton step in 128-bit integers, then exact. BigInteger.sqrt took a tenth of the
   * stream threads' time in a job of many small URLs (JFR), for radicands of two words.
   */
  static Floor floorSqrt(BigInteger x) {
    if (x.bitLength() > 116) {
      throw new IllegalArgumentException("radicand of " + x.bitLength() + " bits");
    }
    long high = x.shiftRight(64).longValue();
    long low = x.longValue();
    double approximate = high * 0x1p64 + unsignedToDouble(low);
    // s < 2^58 is within s·2^-52 + 1 of the root; one Newton step brings it within about 1.
    long s = (long) Math.sqrt(approximate);
    long squareLow = s * s;
    long borrow = Long.compareUnsigned(low, squareLow) < 0 ? 1 : 0;
    long remainderHigh = high - Math.multiplyHigh(s, s) - borrow;
    double remainder = remainderHigh * 0x1p64 + unsignedToDouble(low - squareLow);
    if (s > 0) {
      s += Math.round(remainder / (2.0 * s));
    }
    // x - s² is now within a few s of 0: its low 64 bits are all of it; a step or two ends it.
    long r = low - s * s;
    while (r < 0) {
      s--;
      r += 2 * s + 1;
    }
    while (r > 2 * s) {
      r -= 2 * s + 1;
      s++;
    }
    return new Floor(BigInteger.valueOf(s), r != 0);
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
  }

  /** An integer part, and whether a fraction was dropped from it. */
  record Floor(BigInteger value, boolean inexact) {}

  /** {@code floor(p · 2^shift / q)} for {@code p >= 0} and {@code q > 0}. */
  private static Floor floorOfQuotient(BigInteger p, BigInteger q, int shift) {
    if (shift >= 0) {
      BigInteger[] qr = p.shiftLeft(shift).divideAndRemainder(q);
      return new Floor(qr[0], qr[1].signum() != 0);
    }
    // floor(floor(p / 2^d) / q) = floor(p / (q·2^d)), and the quotient is exact only if both are:
    // a long p shortened first divides in a word or two instead of a long division by q·2^d
    // (JFR: the division was most of a URL result's exact rounding).
    int drop = -shift;
    BigInteger[] qr = p.shiftRight(drop).divideAndRemainder(q);
    return new Floor(qr[0], qr[1].signum() != 0 || p.getLowestSetBit() < drop);
  }

  private static void requirePositive(BigInteger q) {
    if (q.signum() <= 0) {
      throw new IllegalArgumentException("non-positive divisor " + q);
    }
  }
}
