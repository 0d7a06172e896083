package io.fetchstats.stats;

import java.util.SplittableRandom;

/** Seeded random data sets stressing exponent range, cancellation and rounding. */
final class Data {

  private Data() {}

  static final int KINDS = 10;

  static double[] dataSet(SplittableRandom rnd) {
    int n = rnd.nextInt(1, 200);
    int kindA = rnd.nextInt(KINDS);
    int kindB = rnd.nextBoolean() ? kindA : rnd.nextInt(KINDS);
    double[] xs = new double[n];
    for (int k = 0; k < n; k++) {
      xs[k] = value(rnd, rnd.nextBoolean() ? kindA : kindB);
    }
    return xs;
  }

  static double value(SplittableRandom rnd, int kind) {
    double sign = rnd.nextBoolean() ? 1.0 : -1.0;
    switch (kind) {
      case 0:
        { // any finite double, uniform over bit patterns
          double x;
          do {
            x = Double.longBitsToDouble(rnd.nextLong());
          } while (!Double.isFinite(x));
          return x;
        }
      case 1: // wide exponent range, full significands
        return sign * Math.scalb(1.0 + rnd.nextDouble(), rnd.nextInt(-1074, 1024));
      case 2: // subnormals
        return sign * Double.longBitsToDouble(rnd.nextLong(1, 1L << 52));
      case 3: // huge
        return sign * rnd.nextDouble(1.0, 10.0) * 1e300;
      case 4: // near 2^53
        return 9007199254740992.0 + rnd.nextInt(-8, 9) + (rnd.nextBoolean() ? 0.5 : 0.0);
      case 5:
        { // catastrophic cancellation
          switch (rnd.nextInt(4)) {
            case 0:
              return 1e308;
            case 1:
              return -1e308;
            case 2:
              return sign;
            default:
              return sign * Double.MAX_VALUE;
          }
        }
      case 6: // small integers: exact means and ties
        return rnd.nextInt(-3, 4);
      case 7: // a few repeated values: exact zero variance parts
        return sign * (rnd.nextBoolean() ? 0.1 : 1e-300);
      case 8: // ordinary data
        return rnd.nextGaussian() * 1000.0 + 50.0;
      default: // zeros of both signs and the extremes
        switch (rnd.nextInt(5)) {
          case 0:
            return 0.0;
          case 1:
            return -0.0;
          case 2:
            return sign * Double.MIN_VALUE;
          case 3:
            return sign * Double.MIN_NORMAL;
          default:
            return sign * Double.MAX_VALUE;
        }
    }
  }
}
