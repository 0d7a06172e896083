package io.fetchstats.parse;

import static io.fetchstats.parse.RecordingSink.missing;
import static io.fetchstats.parse.RecordingSink.num;
import static io.fetchstats.parse.RecordingSink.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.parse.RecordingSink.Cell;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonParserTest {

  private RecordingSink sink;

  private ParseReport parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private ParseReport parse(byte[] json) {
    sink = new RecordingSink();
    return JsonParser.parse(json, 0, json.length, sink);
  }

  @Test
  void aTopLevelArrayOfObjectsHasOneRowPerElement() {
    ParseReport report =
        parse("[{\"delay\": 5, \"host\": \"a\"}, {\"delay\": 7.5, \"host\": \"b\", \"ok\": true}]");

    assertThat(sink.cells)
        .containsExactly(
            num("[].delay", 5),
            text("[].host"),
            num("[].delay", 7.5),
            text("[].host"),
            text("[].ok"));
    assertThat(sink.fieldCalls).containsExactly("[].delay", "[].host", "[].ok");
    assertThat(report).isEqualTo(new ParseReport(2, 0));
  }

  @Test
  void pathsDropArrayIndices() {
    ParseReport report =
        parse(
            "{\"data\": [{\"price\": 1}, {\"price\": 2, \"tags\": [3, [4]]}],"
                + " \"a\": {\"b\": {\"c\": 6}}, \"n\": 7}");

    assertThat(sink.cells)
        .containsExactly(
            num("data[].price", 1),
            num("data[].price", 2),
            num("data[].tags[]", 3),
            num("data[].tags[][]", 4),
            num("a.b.c", 6),
            num("n", 7));
    assertThat(report).isEqualTo(new ParseReport(1, 0));
  }

  @Test
  void topLevelArraysOfNumbersAndOfArrays() {
    assertThat(parse("[1, 2, 3]").rows()).isEqualTo(3);
    assertThat(sink.cells).containsExactly(num("[]", 1), num("[]", 2), num("[]", 3));

    assertThat(parse("[[1, 2], [], [3]]").rows()).isEqualTo(3);
    assertThat(sink.cells).containsExactly(num("[][]", 1), num("[][]", 2), num("[][]", 3));

    assertThat(parse("[]")).isEqualTo(new ParseReport(0, 0));
    assertThat(sink.cells).isEmpty();
    assertThat(sink.fieldCalls).isEmpty();
  }

  @Test
  void aScalarDocumentIsTheFieldValue() {
    assertThat(parse(" 42 ")).isEqualTo(new ParseReport(1, 0));
    assertThat(sink.cells).containsExactly(num("value", 42));
  }

  @Test
  void containersAreNotCellsAndFieldsWithoutCellsAreNotRegistered() {
    parse("{\"a\": {}, \"b\": [], \"c\": [{}], \"d\": {\"e\": []}}");

    assertThat(sink.cells).isEmpty();
    assertThat(sink.fieldCalls).isEmpty();
  }

  @Test
  void stringsBooleansAndNull() {
    parse("{\"s\": \"12.5\", \"e\": \"\", \"t\": true, \"f\": false, \"z\": null, \"x\": \"NaN\"}");

    assertThat(sink.cells)
        .containsExactly(text("s"), text("e"), text("t"), text("f"), missing("z"), text("x"));
  }

  @Test
  void numbersAreExact() {
    parse(
        "[0, -0, -0.0, 1.5, -2.5E-3, 1e5, 1E+2, 2e-2, 0.1, 123456789.125,"
            + " 9007199254740993, 18446744073709551617, 1e400, -1e400, 1e-400, 4.9e-324,"
            + " 2.2250738585072011e-308, 0.30000000000000004, 1.7976931348623157e308]");

    assertThat(sink.cells)
        .containsExactly(
            num("[]", 0.0),
            num("[]", -0.0),
            num("[]", -0.0),
            num("[]", 1.5),
            num("[]", -0.0025),
            num("[]", 1e5),
            num("[]", 100),
            num("[]", 0.02),
            num("[]", 0.1),
            num("[]", 123456789.125),
            // beyond 2^53: correctly rounded, not truncated
            num("[]", 9007199254740992.0),
            num("[]", 18446744073709551616.0),
            num("[]", Double.POSITIVE_INFINITY),
            num("[]", Double.NEGATIVE_INFINITY),
            num("[]", 0.0),
            num("[]", Double.MIN_VALUE),
            num("[]", 2.2250738585072011e-308),
            num("[]", 0.30000000000000004),
            num("[]", Double.MAX_VALUE));
  }

  @Test
  void everyNumberAgreesWithDoubleParseDouble() {
    SplittableRandom random = new SplittableRandom(11);
    StringBuilder json = new StringBuilder("[");
    List<Double> expected = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      String token =
          switch (i % 4) {
            case 0 -> Double.toString(random.nextDouble(-1e6, 1e6));
            case 1 -> Long.toString(random.nextLong());
            case 2 ->
                random.nextInt(100_000)
                    + "."
                    + random.nextInt(1000)
                    + "e"
                    + random.nextInt(-330, 330);
            default -> Double.toString(Double.longBitsToDouble(random.nextLong()));
          };
      if (token.contains("N") || token.contains("I")) {
        continue; // NaN and Infinity are no JSON tokens
      }
      json.append(expected.isEmpty() ? "" : ",").append(token);
      expected.add(Double.parseDouble(token));
    }
    parse(json.append(']').toString());

    assertThat(sink.cells).extracting(Cell::value).containsExactlyElementsOf(expected);
  }

  @Test
  void escapedKeysAreDecoded() {
    parse(
        "{\"a\\\"b\": 1, \"caf\\u00e9\": 2, \"café\": 3, \"\\ud83d\\ude00\": 4, \"t\\tab\\/\": 5,"
            + " \"\\u0061\": 6, \"a\": 7, \"lone\\ud800\": 8}");

    assertThat(sink.cells)
        .containsExactly(
            num("a\"b", 1),
            num("café", 2),
            num("café", 3),
            num("\uD83D\uDE00", 4),
            num("t\tab/", 5),
            num("a", 6),
            num("a", 7),
            num("lone\uFFFD", 8));
    assertThat(sink.fieldCalls)
        .containsExactly("a\"b", "café", "\uD83D\uDE00", "t\tab/", "a", "lone\uFFFD");
  }

  @Test
  void unicodeKeysAndValues() {
    parse("[{\"温度\": 21.5, \"名前\": \"東京\"}, {\"温度\": -3}]");

    assertThat(sink.cells).containsExactly(num("[].温度", 21.5), text("[].名前"), num("[].温度", -3));
  }

  @Test
  void twoPathsWithOneNameAreOneField() {
    parse("{\"a.b\": 1, \"a\": {\"b\": 2}}");

    assertThat(sink.cells).containsExactly(num("a.b", 1), num("a.b", 2));
    assertThat(sink.fieldCalls).containsExactly("a.b");
  }

  @Test
  void manyKeysKeepTheirFields() {
    StringBuilder json = new StringBuilder("[");
    for (int row = 0; row < 3; row++) {
      json.append(row == 0 ? "{" : ",{");
      for (int k = 0; k < 500; k++) {
        json.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":").append(k);
      }
      json.append('}');
    }
    parse(json.append(']').toString());

    assertThat(sink.fieldCalls).hasSize(500);
    assertThat(sink.cells).hasSize(1500);
    assertThat(sink.cells.get(1000 + 499)).isEqualTo(num("[].k499", 499));
  }

  @Test
  void byteOrderMarkAndWhitespaceEverywhere() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body =
        " \r\n[ \t{ \"a\" \r\n : \n 1 \t, \"b\":[ 2 ,3 ] } \r\n, 4 ]\r\n\t "
            .getBytes(StandardCharsets.UTF_8);
    byte[] json = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, json, 0, 3);
    System.arraycopy(body, 0, json, 3, body.length);

    ParseReport report = parse(json);

    assertThat(report).isEqualTo(new ParseReport(2, 0));
    assertThat(sink.cells)
        .containsExactly(num("[].a", 1), num("[].b[]", 2), num("[].b[]", 3), num("[]", 4));
  }

  @Test
  void aRangeInsideALargerArrayIsParsedAlone() {
    byte[] b = "xx[1,2]yy".getBytes(StandardCharsets.UTF_8);
    sink = new RecordingSink();

    ParseReport report = JsonParser.parse(b, 2, 5, sink);

    assertThat(report).isEqualTo(new ParseReport(2, 0));
    assertThat(sink.cells).containsExactly(num("[]", 1), num("[]", 2));
  }

  @Test
  void brokenDocumentsKeepTheCellsBeforeTheErrorAndSayWhere() {
    ParseReport report = parse("[{\"a\": 1}, {\"a\": 2}, {\"a\": 3");

    assertThat(sink.cells).containsExactly(num("[].a", 1), num("[].a", 2), num("[].a", 3));
    assertThat(report.rows()).isEqualTo(2);
    assertThat(report.error())
        .isEqualTo("broken JSON at byte 28: the data ends where ',' or '}' was expected");

    assertThat(parse("[1, 2, x]").error())
        .isEqualTo("broken JSON at byte 7: unexpected 'x' where a value was expected");
    assertThat(sink.cells).containsExactly(num("[]", 1), num("[]", 2));
  }

  @Test
  void everyKindOfBrokenJsonIsAnError() {
    String[][] cases = {
      {"", "byte 0: the data ends where a value was expected"},
      {"   ", "byte 3: the data ends where a value was expected"},
      {"[1,2]x", "byte 5: unexpected 'x' after the JSON value"},
      {"{} {}", "byte 3: unexpected '{' after the JSON value"},
      {"[1,]", "byte 3: unexpected ']' where a value was expected"},
      {"[1,,2]", "byte 3: unexpected ',' where a value was expected"},
      {"[,1]", "byte 1: unexpected ',' where a value was expected"},
      {"[1 2]", "byte 3: unexpected '2' where ',' or ']' was expected"},
      {"{\"a\" 1}", "byte 5: unexpected '1' where ':' after a key was expected"},
      {"{a: 1}", "byte 1: unexpected 'a' where a key in double quotes was expected"},
      {"{\"a\": 1,}", "byte 8: unexpected '}' where a key in double quotes was expected"},
      {"[01]", "byte 2: unexpected '1' after a leading zero"},
      {"[1.]", "byte 3: unexpected ']' after a decimal point"},
      {"[.5]", "byte 1: unexpected '.' where a value was expected"},
      {"[+1]", "byte 1: unexpected '+' where a value was expected"},
      {"[-]", "byte 2: unexpected ']' after '-'"},
      {"[1e]", "byte 3: unexpected ']' in an exponent"},
      {"[NaN]", "byte 1: unexpected 'N' where a value was expected"},
      {"[tru]", "byte 1: unexpected 't' where a value was expected"},
      {"[nul", "byte 4: the data ends inside 'null'"}, // cut short, not wrong
      {"[nulL]", "byte 1: unexpected 'n' where a value was expected"},
      {"[\"abc", "byte 5: the data ends inside a string"},
      {"[\"a\\x\"]", "byte 4: unexpected 'x' after '\\' (not an escape)"},
      {"[\"\\u12g4\"]", "byte 6: unexpected 'g' in a \\u escape (four hex digits expected)"},
      {"{\"k\\q\": 1}", "byte 4: unexpected 'q' after '\\' (not an escape)"},
      {
        "[\"a\tb\"]",
        "byte 3: unexpected byte 0x09 inside a string (control characters must be escaped)"
      },
      {
        "{\"a\nb\": 1}",
        "byte 3: the line ends inside a string (control characters must be escaped)"
      },
      {"[1]]", "byte 3: unexpected ']' after the JSON value"},
      {"[1}", "byte 2: unexpected '}' where ',' or ']' was expected"},
      {"\u00A0[1]", "byte 0: unexpected byte 0xC2 where a value was expected"},
    };
    for (String[] c : cases) {
      assertThat(parse(c[0]).error()).as(c[0]).isEqualTo("broken JSON at " + c[1]);
    }
    assertThat(parse(new byte[] {(byte) 0xEF, (byte) 0xBB}).error())
        .isEqualTo("broken JSON at byte 2: the data ends inside a byte order mark");
  }

  @Test
  void nestingIsLimited() {
    String deep = "[".repeat(JsonReader.MAX_DEPTH) + "1" + "]".repeat(JsonReader.MAX_DEPTH);
    assertThat(parse(deep).error()).isNull();
    assertThat(sink.cells).containsExactly(num("[]".repeat(JsonReader.MAX_DEPTH), 1));

    String tooDeep = "[".repeat(100_000);
    assertThat(parse(tooDeep).error())
        .isEqualTo("broken JSON at byte 1000: nesting deeper than 1000 levels");
  }
}
