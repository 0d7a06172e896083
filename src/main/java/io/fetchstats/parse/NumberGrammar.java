package io.fetchstats.parse;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The one definition of "a number" (DESIGN.md, "What a number is"). After trimming ASCII spaces and
 * tabs, a number is {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?} and nothing
 * else; {@code NaN}, {@code Infinity} and {@code inf} in any case, with an optional sign, are
 * non-finite. Literals that overflow (1e999) parse to ±Infinity, which callers count as non-finite.
 *
 * <p>The grammar is checked here; FastDoubleParser only converts the already validated bytes (its
 * own grammar is Java's, which is wider: hex, {@code d}/{@code f} suffixes). In the parsers' hot
 * path, numbers with at most 18 digits, a mantissa up to 2^53 and a decimal exponent within ±22 are
 * converted directly with one exact multiplication or division (Clinger's fast path, the same first
 * step FastDoubleParser takes), so the result is the same correctly rounded double. The commonest
 * numbers of all, short decimals, are read eight bytes at a time ({@link #emitShortDecimal}).
 */
public final class NumberGrammar {

  /** The class of a cell or token. */
  public enum Kind {
    NUMBER,
    NON_FINITE,
    EMPTY,
    NON_NUMERIC
  }

  // Results of emit(); ints, not Kind, so that it also knows which non-finite it saw.
  private static final int R_NUMBER = 0;
  private static final int R_NAN = 1;
  private static final int R_POS_INF = 2;
  private static final int R_NEG_INF = 3;
  private static final int R_NON_NUMERIC = 4;

  private NumberGrammar() {}

  /** Classifies bytes {@code [from, to)} after trimming ASCII spaces and tabs. */
  public static Kind classify(byte[] b, int from, int to) {
    int s = trimStart(b, from, to);
    int e = trimEnd(b, s, to);
    if (s == e) {
      return Kind.EMPTY;
    }
    switch (emit(b, s, e, 0, new Captured())) {
      case R_NUMBER:
        return Kind.NUMBER;
      case R_NON_NUMERIC:
        return Kind.NON_NUMERIC;
      default:
        return Kind.NON_FINITE;
    }
  }

  /**
   * The value of bytes {@code [from, to)} (trimmed), correctly rounded; NaN or ±Infinity for
   * non-finite tokens and overflowing literals.
   *
   * @throws NumberFormatException if the bytes are not {@link Kind#NUMBER} or {@link
   *     Kind#NON_FINITE}
   */
  public static double parse(byte[] b, int from, int to) {
    int s = trimStart(b, from, to);
    int e = trimEnd(b, s, to);
    Captured cell = new Captured();
    if (s < e && emit(b, s, e, 0, cell) != R_NON_NUMERIC) {
      return cell.value;
    }
    throw new NumberFormatException("not a number");
  }

  /** Keeps the value of the one cell that classify and parse ask about. */
  private static final class Captured implements CellSink {
    double value;

    @Override
    public int field(String name) {
      return 0;
    }

    @Override
    public void number(int field, double value) {
      this.value = value;
    }

    @Override
    public void missing(int field) {}

    @Override
    public void nonNumeric(int field) {}
  }

  /** Trims, classifies and reports one CSV cell: empty is missing. */
  static void emitCell(byte[] b, int from, int to, int field, CellSink sink) {
    int s = trimStart(b, from, to);
    int e = trimEnd(b, s, to);
    if (s == e) {
      sink.missing(field);
    } else {
      emitToken(b, s, e, field, sink);
    }
  }

  /** Classifies and reports a non-empty, already trimmed token. */
  static void emitToken(byte[] b, int from, int to, int field, CellSink sink) {
    emit(b, from, to, field, sink);
  }

  /** Reads eight bytes at a time, the first in the low byte; no Unsafe needed. */
  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Bytes a short decimal reaches at most: sign, 7 digits, point, 7 digits, terminator. */
  private static final int SHORT_DECIMAL_REACH = 17;

  /**
   * The fast path for the commonest cells, {@code [+-]? d{1,7} (. d{0,7})?} followed by a byte that
   * {@code terminators} marks non-zero: if {@code [from, end)} starts with one, reports its value
   * to {@code sink} and returns where it ends (at the terminator); otherwise reports nothing and
   * returns -1, and the caller takes the general path. Digits are found and converted eight at a
   * time (SWAR); at most 14 digits and 7 decimals make the value one exact division, as in {@link
   * #value}, so it is the same double. Near {@code end} (fewer than {@value #SHORT_DECIMAL_REACH}
   * bytes left) it always declines, so that the eight-byte reads stay within the range.
   */
  static int emitShortDecimal(
      byte[] b, int from, int end, byte[] terminators, int field, CellSink sink) {
    if (end - from < SHORT_DECIMAL_REACH) {
      return -1;
    }
    int p = from;
    boolean negative = b[p] == '-';
    if (negative || b[p] == '+') {
      p++;
    }
    long word = (long) EIGHT_BYTES.get(b, p);
    int digits = leadingDigits(word);
    if (digits == 0 || digits == 8) {
      return -1;
    }
    long mantissa;
    int fracDigits = 0;
    if (b[p + digits] != '.') {
      mantissa = digitsValue(word, digits);
      p += digits;
    } else {
      // Drop the point: the bytes after it move down one, next to the integer digits, so that a
      // number within these eight bytes is converted in one go.
      long integerBytes = -1L >>> (64 - 8 * digits);
      long joined = (word & integerBytes) | ((word >>> 8) & ~integerBytes);
      int joinedDigits = leadingDigits(joined); // at most 7: the top byte is now zero
      if (!isDigit(b[p + joinedDigits + 1])) {
        mantissa = digitsValue(joined, joinedDigits);
        fracDigits = joinedDigits - digits;
        p += joinedDigits + 1;
      } else {
        // The decimals go on past these eight bytes: read them from the point on.
        int point = p + digits;
        word = (long) EIGHT_BYTES.get(b, point + 1);
        fracDigits = leadingDigits(word);
        if (fracDigits == 8) {
          return -1;
        }
        mantissa =
            digitsValue(joined, digits) * LONG_POWERS_OF_TEN[fracDigits]
                + digitsValue(word, fracDigits);
        p = point + 1 + fracDigits;
      }
    }
    if (terminators[b[p] & 0xFF] == 0) {
      return -1;
    }
    double v = mantissa / POWERS_OF_TEN[fracDigits];
    sink.number(field, negative ? -v : v);
    return p;
  }

  /**
   * How many of the eight bytes of {@code word}, from the low one, are ASCII digits before the
   * first other byte (8 if all are). A non-digit byte gets its top bit set by {@code +0x46} (above
   * '9') or {@code -0x30} (below '0'); carries and borrows only move upwards, past the first
   * non-digit.
   */
  private static int leadingDigits(long word) {
    long nonDigits =
        ((word + 0x4646_4646_4646_4646L) | (word - 0x3030_3030_3030_3030L))
            & 0x8080_8080_8080_8080L;
    return Long.numberOfTrailingZeros(nonDigits) >>> 3;
  }

  /**
   * The value of the {@code n} (0 to 8) ASCII digits in the low bytes of {@code word}, the first
   * digit the most significant: shifted to the top, with zero bytes as leading zeros below, then
   * combined pairwise in three multiplications.
   */
  private static long digitsValue(long word, int n) {
    int half = 32 - 4 * n; // two shifts, since a shift by 64 would be a shift by 0
    long v = (word << half) << half;
    v = ((v & 0x0F0F_0F0F_0F0F_0F0FL) * 2561) >>> 8;
    v = ((v & 0x00FF_00FF_00FF_00FFL) * 6553601) >>> 16;
    return ((v & 0x0000_FFFF_0000_FFFFL) * 42949672960001L) >>> 32;
  }

  /** 10^0..10^7, to append up to seven decimals to a mantissa. */
  private static final long[] LONG_POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000
  };

  /**
   * The grammar, checked in one pass that also accumulates the digits, so that most numbers are
   * converted here (Clinger's fast path) without FastDoubleParser reading the bytes again. Reports
   * the token to {@code sink} and returns its class (an R_ code).
   */
  private static int emit(byte[] b, int from, int to, int field, CellSink sink) {
    int i = from;
    boolean negative = false;
    byte c = b[i];
    if (c == '+' || c == '-') {
      negative = c == '-';
      i++;
    }
    int body = i;
    long mantissa = 0;
    while (i < to && isDigit(b[i])) {
      mantissa = mantissa * 10 + (b[i] - '0');
      i++;
    }
    int digits = i - body;
    int fracDigits = 0;
    if (i < to && b[i] == '.') {
      i++;
      int frac = i;
      while (i < to && isDigit(b[i])) {
        mantissa = mantissa * 10 + (b[i] - '0');
        i++;
      }
      fracDigits = i - frac;
      digits += fracDigits;
    }
    if (digits == 0) {
      return emitNonFinite(nonFinite(b, body, to, negative), field, sink);
    }
    int exponent = 0;
    if (i < to && (b[i] | 0x20) == 'e') {
      i++;
      boolean negativeExponent = false;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        negativeExponent = b[i] == '-';
        i++;
      }
      int exp = i;
      while (i < to && isDigit(b[i])) {
        if (exponent < 100_000) {
          exponent = exponent * 10 + (b[i] - '0');
        }
        i++;
      }
      if (i == exp) {
        sink.nonNumeric(field);
        return R_NON_NUMERIC;
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    if (i != to) {
      sink.nonNumeric(field);
      return R_NON_NUMERIC;
    }
    double v;
    try {
      v = value(b, from, to, negative, mantissa, digits, exponent - fracDigits);
    } catch (NumberFormatException unexpected) {
      // Cannot happen for validated input; never let a body kill the parse.
      sink.nonNumeric(field);
      return R_NON_NUMERIC;
    }
    sink.number(field, v);
    return R_NUMBER;
  }

  /**
   * The correctly rounded value of the number {@code [from, to)}, already checked against the
   * grammar (JSON's number grammar is a subset of it), given what the check accumulated on the way.
   *
   * @param mantissa the number's digits, integer and fraction, read as one decimal integer (it may
   *     have overflowed if there are more than 18 of them)
   * @param digits how many digits that is, leading zeros included
   * @param e10 the power of ten that scales the mantissa to the value
   * @throws NumberFormatException if the bytes are not a number after all
   */
  static double value(
      byte[] b, int from, int to, boolean negative, long mantissa, int digits, int e10) {
    if (digits <= 18 && mantissa <= MAX_EXACT_MANTISSA && e10 >= -22 && e10 <= 22) {
      // Both operands are exact doubles, so the one IEEE operation is correctly rounded.
      double v = e10 >= 0 ? mantissa * POWERS_OF_TEN[e10] : mantissa / POWERS_OF_TEN[-e10];
      return negative ? -v : v;
    }
    return JavaDoubleParser.parseDouble(b, from, to - from);
  }

  private static final long MAX_EXACT_MANTISSA = 1L << 53;

  /** 1e0..1e22: the powers of ten a double holds exactly. */
  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private static int emitNonFinite(int result, int field, CellSink sink) {
    switch (result) {
      case R_NAN:
        sink.number(field, Double.NaN);
        break;
      case R_POS_INF:
        sink.number(field, Double.POSITIVE_INFINITY);
        break;
      case R_NEG_INF:
        sink.number(field, Double.NEGATIVE_INFINITY);
        break;
      default:
        sink.nonNumeric(field);
    }
    return result;
  }

  static boolean isSpaceOrTab(byte c) {
    return c == ' ' || c == '\t';
  }

  static int trimStart(byte[] b, int from, int to) {
    while (from < to && isSpaceOrTab(b[from])) {
      from++;
    }
    return from;
  }

  static int trimEnd(byte[] b, int from, int to) {
    while (to > from && isSpaceOrTab(b[to - 1])) {
      to--;
    }
    return to;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static int nonFinite(byte[] b, int from, int to, boolean negative) {
    int len = to - from;
    if (len == 3) {
      if (lower(b[from]) == 'n' && lower(b[from + 1]) == 'a' && lower(b[from + 2]) == 'n') {
        return R_NAN;
      }
      if (startsWithInf(b, from)) {
        return negative ? R_NEG_INF : R_POS_INF;
      }
    } else if (len == 8
        && startsWithInf(b, from)
        && lower(b[from + 3]) == 'i'
        && lower(b[from + 4]) == 'n'
        && lower(b[from + 5]) == 'i'
        && lower(b[from + 6]) == 't'
        && lower(b[from + 7]) == 'y') {
      return negative ? R_NEG_INF : R_POS_INF;
    }
    return R_NON_NUMERIC;
  }

  private static boolean startsWithInf(byte[] b, int from) {
    return lower(b[from]) == 'i' && lower(b[from + 1]) == 'n' && lower(b[from + 2]) == 'f';
  }

  /** ASCII lower case; only 'A'..'Z' and 'a'..'z' can map onto a lower-case letter. */
  private static int lower(byte c) {
    return c | 0x20;
  }
}
