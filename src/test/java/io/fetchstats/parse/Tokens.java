package io.fetchstats.parse;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/** Random tokens, most of them numbers, and what the grammar makes of each (a reference). */
final class Tokens {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

  private Tokens() {}

  /**
   * A non-empty token without separators or quotes: short decimals (the parsers' fast path) half of
   * the time, longer numbers, exponents, non-finite and garbage the rest.
   */
  static String random(Random random) {
    int kind = random.nextInt(10);
    String sign = random.nextInt(3) == 0 ? "-" : random.nextInt(10) == 0 ? "+" : "";
    if (kind < 5) {
      String number = sign + digits(random, 1 + random.nextInt(7));
      return random.nextBoolean() ? number : number + "." + digits(random, random.nextInt(8));
    }
    return switch (kind) {
      case 5 -> sign + digits(random, 8 + random.nextInt(8)) + "." + digits(random, 9);
      case 6 -> sign + digits(random, 1 + random.nextInt(3)) + "e" + (random.nextInt(40) - 20);
      case 7 -> random.nextBoolean() ? "NaN" : sign + "Infinity";
      default -> garbage(random);
    };
  }

  /** What a parser must report for {@code token}, already trimmed, in {@code field}. */
  static RecordingSink.Cell expected(String field, String token) {
    if (NUMBER.matcher(token).matches()) {
      return RecordingSink.num(field, Double.parseDouble(token));
    }
    if (NON_FINITE.matcher(token).matches()) {
      String lower = token.toLowerCase(Locale.ROOT);
      double value =
          lower.contains("nan")
              ? Double.NaN
              : lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      return RecordingSink.num(field, value);
    }
    return RecordingSink.text(field);
  }

  static String digits(Random random, int n) {
    StringBuilder s = new StringBuilder(n);
    while (s.length() < n) {
      s.append((char) ('0' + random.nextInt(10)));
    }
    return s.toString();
  }

  private static String garbage(Random random) {
    String alphabet = "0123456789.eE+-xN";
    StringBuilder s = new StringBuilder();
    for (int len = 1 + random.nextInt(12); s.length() < len; ) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
