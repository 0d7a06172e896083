package io.fetchstats.stats;

import static io.fetchstats.stats.Reference.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactRoundingTest {

  private static final BigInteger TWO_53 = BigInteger.ONE.shiftLeft(53);

  /** m · 2^exp exactly, as a BigDecimal (2^-k = 5^k / 10^k). */
  private static BigDecimal exactly(BigInteger m, int exp) {
    return exp >= 0
        ? new BigDecimal(m.shiftLeft(exp))
        : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-exp))).scaleByPowerOfTen(exp);
  }

  @Test
  void exactValuesRoundLikeBigDecimal() {
    SplittableRandom rnd = new SplittableRandom(11L);
    for (int run = 0; run < 3000; run++) {
      BigInteger m = new BigInteger(rnd.nextInt(1, 200), new java.util.Random(rnd.nextLong()));
      if (rnd.nextBoolean()) {
        m = m.negate();
      }
      int exp = rnd.nextInt(-1300, 1100) - m.bitLength() / 2;
      assertSameBits(
          ExactRounding.exact(m, exp), exactly(m, exp).doubleValue(), "m " + m + ", exp " + exp);
    }
  }

  @Test
  void tiesRoundToEven() {
    BigInteger m = TWO_53.add(BigInteger.ONE); // 2^53 + 1: halfway between 2^53 and 2^53 + 2
    assertSameBits(ExactRounding.exact(m, 0), 9007199254740992.0, "tie down to even");
    assertSameBits(
        ExactRounding.exact(m.add(BigInteger.TWO), 0), 9007199254740996.0, "tie up to even");
    assertSameBits(ExactRounding.exact(m.negate(), 0), -9007199254740992.0, "negative tie");
    // The same tie, but with something beyond the last known bit: rounds up.
    BigInteger shifted = m.shiftLeft(2);
    assertSameBits(ExactRounding.round(shifted, -2, false), 9007199254740992.0, "exact tie");
    assertSameBits(
        ExactRounding.round(shifted, -2, true), 9007199254740994.0, "sticky breaks the tie");
  }

  @Test
  void overflowBoundary() {
    BigInteger maxHalfUlp =
        BigInteger.ONE.shiftLeft(54).subtract(BigInteger.ONE); // MAX + half ulp, at 2^970
    assertSameBits(
        ExactRounding.exact(maxHalfUlp.subtract(BigInteger.ONE), 970), Double.MAX_VALUE, "MAX");
    assertSameBits(
        ExactRounding.round(maxHalfUlp.shiftLeft(2).subtract(BigInteger.ONE), 968, true),
        Double.MAX_VALUE,
        "just below MAX + half ulp");
    assertSameBits(
        ExactRounding.exact(maxHalfUlp, 970), Double.POSITIVE_INFINITY, "MAX + half ulp");
    assertSameBits(
        ExactRounding.exact(maxHalfUlp.negate(), 970),
        Double.NEGATIVE_INFINITY,
        "-(MAX + half ulp)");
    assertSameBits(ExactRounding.exact(BigInteger.ONE, 1024), Double.POSITIVE_INFINITY, "2^1024");
    assertSameBits(ExactRounding.exact(BigInteger.ONE, 5000), Double.POSITIVE_INFINITY, "2^5000");
  }

  @Test
  void subnormalBoundary() {
    assertSameBits(ExactRounding.exact(BigInteger.ONE, -1074), Double.MIN_VALUE, "MIN_VALUE");
    assertSameBits(ExactRounding.exact(BigInteger.ONE, -1075), 0.0, "half MIN_VALUE ties to 0");
    assertSameBits(
        ExactRounding.exact(BigInteger.valueOf(3), -1075), 2 * Double.MIN_VALUE, "1.5 MIN_VALUE");
    assertSameBits(
        ExactRounding.exact(BigInteger.valueOf(3), -1076), Double.MIN_VALUE, "0.75 MIN_VALUE");
    assertSameBits(ExactRounding.exact(BigInteger.ONE, -5000), 0.0, "far below");
    assertSameBits(
        ExactRounding.exact(BigInteger.ONE.negate(), -5000), -0.0, "far below, negative");
    BigInteger halfMin = BigInteger.ONE.shiftLeft(60);
    assertSameBits(
        ExactRounding.round(halfMin, -1135, true), Double.MIN_VALUE, "just above half MIN_VALUE");
    assertSameBits(ExactRounding.round(halfMin, -1135, false), 0.0, "half MIN_VALUE");
    // Largest subnormal rounding up to MIN_NORMAL.
    BigInteger nearNormal = TWO_53.subtract(BigInteger.ONE); // (2^52 - 1/2) · 2^-1073
    assertSameBits(ExactRounding.exact(nearNormal, -1075), Double.MIN_NORMAL, "to MIN_NORMAL");
  }

  @Test
  void quotientsRoundLikeBigDecimal() {
    SplittableRandom rnd = new SplittableRandom(12L);
    java.util.Random bits = new java.util.Random(13L);
    for (int run = 0; run < 2000; run++) {
      BigInteger p = new BigInteger(rnd.nextInt(0, 300), bits);
      if (rnd.nextBoolean()) {
        p = p.negate();
      }
      BigInteger q = new BigInteger(rnd.nextInt(1, 200), bits).add(BigInteger.ONE);
      int exp = rnd.nextInt(-1400, 1200);
      double expected = exactly(p, exp).divide(new BigDecimal(q), Reference.MC).doubleValue();
      assertSameBits(ExactRounding.quotient(p, q, exp), expected, p + " / " + q + " · 2^" + exp);
    }
  }

  @Test
  void quotientsOfThousandsOfBitsRoundLikeBigDecimal() {
    // The low bits of a long dividend are dropped before dividing: half the runs divide exactly,
    // some with the dropped bits all zero, where a dropped bit must not be taken for a remainder.
    SplittableRandom rnd = new SplittableRandom(18L);
    java.util.Random bits = new java.util.Random(19L);
    for (int run = 0; run < 1000; run++) {
      BigInteger q = new BigInteger(rnd.nextInt(1, 130), bits).add(BigInteger.ONE);
      BigInteger p =
          rnd.nextBoolean()
              ? new BigInteger(rnd.nextInt(300, 4400), bits)
              : q.multiply(new BigInteger(rnd.nextInt(1, 80), bits).add(BigInteger.ONE))
                  .shiftLeft(rnd.nextInt(0, 4000));
      int exp = ExactRounding.MIN_EXPONENT * 2 + rnd.nextInt(-40, 40);
      double expected = exactly(p, exp).divide(new BigDecimal(q), Reference.MC).doubleValue();
      assertSameBits(ExactRounding.quotient(p, q, exp), expected, p + " / " + q + " · 2^" + exp);
    }
  }

  @Test
  void oneLowBitOfALongValueBreaksATie() {
    // A tie (2^53 + 1 lies halfway between two doubles) scaled far up, plus one bit at each place
    // near where the low bits are dropped before dividing: only that bit rounds it up.
    BigInteger tie = BigInteger.ONE.shiftLeft(53).add(BigInteger.ONE);
    SplittableRandom rnd = new SplittableRandom(20L);
    java.util.Random bits = new java.util.Random(21L);
    for (int run = 0; run < 20; run++) {
      BigInteger q = new BigInteger(rnd.nextInt(1, 130), bits).add(BigInteger.ONE);
      int z = rnd.nextInt(200, 2000);
      for (int j = 2 * z - 300; j < 2 * z; j++) {
        BigInteger bit = BigInteger.ONE.shiftLeft(j);
        BigInteger quotient = q.multiply(tie).shiftLeft(2 * z).add(bit);
        double expected =
            exactly(quotient, -2 * z).divide(new BigDecimal(q), Reference.MC).doubleValue();
        assertSameBits(ExactRounding.quotient(quotient, q, -2 * z), expected, "bit " + j);
        assertSquareRootRoundsLikeBigDecimal(
            q.multiply(tie).multiply(tie).shiftLeft(2 * z).add(bit), q, -2 * z);
      }
    }
  }

  @Test
  void integerSquareRootsAreBigIntegersWhetherXIsASquareOrNot() {
    SplittableRandom rnd = new SplittableRandom(22L);
    java.util.Random bits = new java.util.Random(23L);
    List<BigInteger> xs = new ArrayList<>();
    for (int k = 0; k <= 116; k++) {
      BigInteger power = BigInteger.ONE.shiftLeft(k);
      xs.addAll(List.of(power, power.subtract(BigInteger.ONE), power.add(BigInteger.ONE)));
    }
    for (int run = 0; run < 20_000; run++) {
      BigInteger root = new BigInteger(rnd.nextInt(0, 59), bits);
      BigInteger square = root.multiply(root);
      // A square, its neighbours, the last value with the same root, and anything of up to 116
      // bits.
      xs.addAll(List.of(square, square.add(BigInteger.ONE), square.add(root.shiftLeft(1))));
      if (root.signum() > 0) {
        xs.add(square.subtract(BigInteger.ONE));
      }
      xs.add(new BigInteger(rnd.nextInt(0, 117), bits));
    }
    for (BigInteger x : xs.stream().filter(x -> x.bitLength() <= 116).toList()) {
      ExactRounding.Floor root = ExactRounding.floorSqrt(x);
      assertThat(root.value()).as("sqrt(%s)", x).isEqualTo(x.sqrt());
      assertThat(root.inexact()).as("sqrt(%s) inexact", x).isEqualTo(!x.sqrt().pow(2).equals(x));
    }
    assertThatThrownBy(() -> ExactRounding.floorSqrt(BigInteger.ONE.shiftLeft(116)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void squareRootsRoundLikeBigDecimal() {
    SplittableRandom rnd = new SplittableRandom(14L);
    java.util.Random bits = new java.util.Random(15L);
    for (int run = 0; run < 1500; run++) {
      // Up to the thousands of bits of a variance's numerator, whose low bits are dropped.
      int longest = rnd.nextBoolean() ? 300 : 4500;
      BigInteger p = new BigInteger(rnd.nextInt(0, longest), bits);
      if (rnd.nextInt(4) == 0) {
        BigInteger root = new BigInteger(rnd.nextInt(0, longest / 2), bits);
        p = root.multiply(root); // exact squares
      }
      BigInteger q =
          rnd.nextInt(4) == 0
              ? BigInteger.ONE
              : new BigInteger(rnd.nextInt(1, 200), bits).add(BigInteger.ONE);
      int exp = 2 * rnd.nextInt(-1300, 1100);
      assertSquareRootRoundsLikeBigDecimal(p, q, exp);
    }
  }

  /** sqrt(p / q · 2^exp) rounded once from BigDecimal's 1200-digit square root. */
  private static void assertSquareRootRoundsLikeBigDecimal(BigInteger p, BigInteger q, int exp) {
    double expected =
        exactly(p, exp).divide(new BigDecimal(q), Reference.MC).sqrt(Reference.MC).doubleValue();
    assertSameBits(
        ExactRounding.sqrtQuotient(p, q, exp),
        expected,
        "sqrt(" + p + " / " + q + " · 2^" + exp + ")");
  }

  @Test
  void squareRootsOfRadicandsOfThousandsOfBitsRoundLikeBigDecimal() {
    // As a standard deviation has them: (n·Σx² − (Σx)²) · 2^2148 over n² or n(n−1).
    SplittableRandom rnd = new SplittableRandom(16L);
    java.util.Random bits = new java.util.Random(17L);
    for (int run = 0; run < 300; run++) {
      // A quarter exact squares: the bits the radicand drops must not be taken for a remainder.
      BigInteger root = new BigInteger(rnd.nextInt(1000, 2200), bits);
      boolean square = rnd.nextInt(4) == 0;
      assertSquareRootRoundsLikeBigDecimal(
          square ? root.multiply(root) : new BigInteger(rnd.nextInt(2000, 4400), bits),
          square ? BigInteger.ONE : new BigInteger(rnd.nextInt(1, 130), bits).add(BigInteger.ONE),
          2 * ExactRounding.MIN_EXPONENT + 2 * rnd.nextInt(-40, 40));
    }
  }

  @Test
  void rejectsInvalidArguments() {
    assertThatThrownBy(() -> ExactRounding.quotient(BigInteger.ONE, BigInteger.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExactRounding.sqrtQuotient(BigInteger.ONE.negate(), BigInteger.ONE, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExactRounding.sqrtQuotient(BigInteger.ONE, BigInteger.ONE, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExactRounding.round(BigInteger.ONE, 0, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
