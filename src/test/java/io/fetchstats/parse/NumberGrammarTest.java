package io.fetchstats.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchstats.parse.NumberGrammar.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NumberGrammarTest {

  private static double parse(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return NumberGrammar.parse(b, 0, b.length);
  }

  @Test
  void numbers() {
    for (String s :
        new String[] {
          "0",
          "-0",
          "12",
          "-12",
          "+12",
          "1.5",
          "-1.5",
          ".5",
          "-.5",
          "+.5",
          "5.",
          "-5.",
          "1e5",
          "1E5",
          "-2.5E-3",
          "1E+2",
          "5.e3",
          ".5e-1",
          "007",
          "00.00",
          " 42 ",
          "\t42\t",
          "1e0000",
          "123456789012345678901234567890"
        }) {
      assertThat(classify(s)).as(s).isEqualTo(Kind.NUMBER);
      assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s.strip()));
    }
    assertThat(parse("-0")).isEqualTo(-0.0);
    assertThat(parse(".5")).isEqualTo(0.5);
    assertThat(parse("5.")).isEqualTo(5.0);
    assertThat(parse("-2.5E-3")).isEqualTo(-0.0025);
    assertThat(parse("1E+2")).isEqualTo(100.0);
  }

  @Test
  void nonNumeric() {
    for (String s :
        new String[] {
          "0x1F",
          "1d",
          "1f",
          "1D",
          "1F",
          "1L",
          "1_000",
          "1,5",
          "1,000",
          "1.2.3",
          "1e",
          "1e+",
          "e5",
          ".",
          "-",
          "+",
          "+-1",
          "--1",
          ".e5",
          "1 2",
          "1e5.0",
          "1e1.5",
          "2024-01-01",
          "12:30",
          "alice",
          "€5",
          "5€",
          "1.5%",
          "$1",
          "0b101",
          "١٢",
          "NaNa",
          "infinit",
          "infinityy",
          "in",
          "-nan-",
          "Inf1",
          "\"12\"",
          "1\r",
          "\u00a01"
        }) {
      assertThat(classify(s)).as(s).isEqualTo(Kind.NON_NUMERIC);
      assertThatThrownBy(() -> parse(s)).as(s).isInstanceOf(NumberFormatException.class);
    }
  }

  @Test
  void empty() {
    for (String s : new String[] {"", " ", "\t \t"}) {
      assertThat(classify(s)).isEqualTo(Kind.EMPTY);
      assertThatThrownBy(() -> parse(s)).isInstanceOf(NumberFormatException.class);
    }
  }

  @Test
  void nonFinite() {
    for (String s : new String[] {"NaN", "nan", "NAN", "-NaN", "+nan"}) {
      assertThat(classify(s)).as(s).isEqualTo(Kind.NON_FINITE);
      assertThat(parse(s)).as(s).isNaN();
    }
    for (String s :
        new String[] {
          "Infinity", "infinity", "INFINITY", "+Infinity", "inf", "INF", "Inf", "+inf", " iNfInItY "
        }) {
      assertThat(classify(s)).as(s).isEqualTo(Kind.NON_FINITE);
      assertThat(parse(s)).as(s).isEqualTo(Double.POSITIVE_INFINITY);
    }
    for (String s : new String[] {"-Infinity", "-inf", "-INF", "-iNFINITY"}) {
      assertThat(classify(s)).as(s).isEqualTo(Kind.NON_FINITE);
      assertThat(parse(s)).as(s).isEqualTo(Double.NEGATIVE_INFINITY);
    }
  }

  @Test
  void extremeExponentsAreNumbersThatMayParseToInfinityOrZero() {
    assertThat(classify("1e999")).isEqualTo(Kind.NUMBER);
    assertThat(parse("1e999")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parse("-1e999")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(parse("1e-999")).isEqualTo(0.0);
    assertThat(parse("-1e-999")).isEqualTo(-0.0);
    assertThat(parse("4.9e-324")).isEqualTo(Double.MIN_VALUE);
    assertThat(parse("1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
    assertThat(parse("1e99999999999999999999999999")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(parse("1e-99999999999999999999999999")).isEqualTo(0.0);
    assertThat(parse("0e99999999999999999999999999")).isEqualTo(0.0);
    String longDigits = "1" + "0".repeat(400) + "e-400";
    assertThat(parse(longDigits)).isEqualTo(1.0);
  }

  @Test
  void correctlyRoundedLikeTheJdk() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      String s;
      switch (i % 4) {
        case 0:
          s = Double.toString(Double.longBitsToDouble(random.nextLong()));
          break;
        case 1:
          s = Long.toString(random.nextLong()) + "." + random.nextInt(Integer.MAX_VALUE);
          break;
        case 2:
          s = random.nextInt(1_000_000) + "e" + (random.nextInt(700) - 350);
          break;
        default:
          s =
              "0."
                  + Long.toUnsignedString(random.nextLong())
                  + Long.toUnsignedString(random.nextLong());
      }
      Kind kind = classify(s);
      if (s.equals("NaN") || s.endsWith("Infinity")) {
        assertThat(kind).isEqualTo(Kind.NON_FINITE);
        continue;
      }
      assertThat(kind).as(s).isEqualTo(Kind.NUMBER);
      assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
  }

  @Test
  void respectsTheRange() {
    byte[] b = "x12.5yz-3".getBytes(StandardCharsets.US_ASCII);
    assertThat(NumberGrammar.classify(b, 1, 5)).isEqualTo(Kind.NUMBER);
    assertThat(NumberGrammar.parse(b, 1, 5)).isEqualTo(12.5);
    assertThat(NumberGrammar.parse(b, 7, 9)).isEqualTo(-3.0);
    assertThat(NumberGrammar.classify(b, 0, 5)).isEqualTo(Kind.NON_NUMERIC);
    assertThat(NumberGrammar.classify(b, 3, 3)).isEqualTo(Kind.EMPTY);
  }

  @Test
  void garbageBytesNeverThrow() {
    Random random = new Random(7);
    byte[] b = new byte[64];
    for (int i = 0; i < 10_000; i++) {
      random.nextBytes(b);
      int from = random.nextInt(b.length);
      int to = from + random.nextInt(b.length - from + 1);
      Kind kind = NumberGrammar.classify(b, from, to);
      if (kind == Kind.NUMBER || kind == Kind.NON_FINITE) {
        NumberGrammar.parse(b, from, to);
      }
    }
    byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '1'};
    assertThat(NumberGrammar.classify(invalidUtf8, 0, 4)).isEqualTo(Kind.NON_NUMERIC);
  }

  /**
   * The hot path (its own conversion of short numbers included) must agree with an independent
   * reference: the grammar as a regular expression, and the JDK's correctly rounded parser.
   */
  @Test
  void emitTokenAgreesWithAnIndependentReference() {
    Random random = new Random(99);
    String alphabet = "0123456789012345678901234567890123456789.eE+-nNaAiIfFtTyYx_,";
    List<String> inputs =
        new ArrayList<>(
            List.of(
                "9007199254740992",
                "9007199254740993",
                "-9007199254740993",
                "900719925474099.3",
                "123456789012345678",
                "1234567890123456789",
                "0.000000000000000000001",
                "1e22",
                "1e23",
                "3e-22",
                "3e-23",
                "-0e5",
                "-0.0",
                "0e-400",
                "4503599627370497.5",
                "1e-0000000000000000000000000000022",
                "8.589973e9"));
    for (int i = 0; i < 100_000; i++) {
      int len = 1 + random.nextInt(24);
      StringBuilder s = new StringBuilder(len);
      for (int j = 0; j < len; j++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      inputs.add(s.toString());
      inputs.add(
          random.nextLong() % 100_000_000_000L
              + "."
              + random.nextInt(1000)
              + "e"
              + (random.nextInt(60) - 30));
      inputs.add(Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20)));
    }
    RecordingSink sink = new RecordingSink();
    int field = sink.field("v");
    List<String> mismatches = new ArrayList<>();
    for (String input : inputs) {
      byte[] b = input.getBytes(StandardCharsets.UTF_8);
      sink.cells.clear();
      NumberGrammar.emitToken(b, 0, b.length, field, sink);
      RecordingSink.Cell expected = Tokens.expected("v", input);
      if (!sink.cells.equals(List.of(expected))) {
        mismatches.add(input + " -> " + sink.cells + ", expected " + expected);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  /**
   * The eight-bytes-at-a-time path takes exactly the short decimals before a terminator, and gives
   * them the reference's value; everything else it leaves to the general path.
   */
  @Test
  void emitShortDecimalTakesExactlyShortDecimalsWithTheReferenceValue() {
    Random random = new Random(11);
    String alphabet = "0123456789012345678901234567890123456789..eE+-x ,";
    List<String> inputs = new ArrayList<>(List.of("0", "-0", "+7", "12.", "-0.0", ".5", "1.2.3"));
    for (int i = 0; i < 100_000; i++) {
      StringBuilder s = new StringBuilder();
      for (int len = 1 + random.nextInt(18); s.length() < len; ) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      inputs.add(s.toString());
      StringBuilder d = new StringBuilder(random.nextBoolean() ? "" : "-");
      d.append(Tokens.digits(random, 1 + random.nextInt(8)));
      if (random.nextBoolean()) {
        d.append('.').append(Tokens.digits(random, random.nextInt(9)));
      }
      inputs.add(d.toString());
    }
    byte[] terminators = new byte[256];
    terminators[' '] = 1;
    terminators[','] = 1;
    RecordingSink sink = new RecordingSink();
    int field = sink.field("v");
    List<String> mismatches = new ArrayList<>();
    for (String input : inputs) {
      byte[] b = (input + " 0123456789abcdefgh").getBytes(StandardCharsets.US_ASCII);
      sink.cells.clear();
      int end = NumberGrammar.emitShortDecimal(b, 0, b.length, terminators, field, sink);
      String token = input.split("[ ,]", -1)[0];
      boolean expected = SHORT_DECIMAL.matcher(token).matches();
      if (expected
          ? end != token.length() || !sink.cells.equals(List.of(Tokens.expected("v", token)))
          : end != -1 || !sink.cells.isEmpty()) {
        mismatches.add(input + " -> " + end + " " + sink.cells);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  private static final java.util.regex.Pattern SHORT_DECIMAL =
      java.util.regex.Pattern.compile("[+-]?[0-9]{1,7}(\\.[0-9]{0,7})?");

  private static Kind classify(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return NumberGrammar.classify(b, 0, b.length);
  }
}
