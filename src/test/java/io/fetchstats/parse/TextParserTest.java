package io.fetchstats.parse;

import static io.fetchstats.parse.RecordingSink.num;
import static io.fetchstats.parse.RecordingSink.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.parse.RecordingSink.Cell;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextParserTest {

  private static RecordingSink sink;

  private static ParseReport parse(String s) {
    return parse(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ParseReport parse(byte[] b) {
    sink = new RecordingSink();
    return TextParser.parse(b, 0, b.length, sink);
  }

  @Test
  void tokensAndSeparators() {
    ParseReport report = parse("1 -2\t+3.5,4;.5\r\n5. 1e5 -2.5E-3 1E+2\n");
    assertThat(sink.fieldCalls).containsExactly("value");
    assertThat(sink.cells)
        .containsExactly(
            num("value", 1),
            num("value", -2),
            num("value", 3.5),
            num("value", 4),
            num("value", 0.5),
            num("value", 5),
            num("value", 1e5),
            num("value", -0.0025),
            num("value", 100));
    assertThat(report).isEqualTo(new ParseReport(2, 0));
  }

  @Test
  void emptyTokensAreSkippedNotMissing() {
    ParseReport report = parse("1,,2;;;3 ,\t, 4\n,,,\n\n   \n\r\n5");
    assertThat(sink.cells)
        .containsExactly(
            num("value", 1), num("value", 2), num("value", 3), num("value", 4), num("value", 5));
    assertThat(report.rows()).isEqualTo(2);
  }

  @Test
  void nonNumericAndNonFiniteTokens() {
    parse("2024-01-01 alice 0x1F 1d 1_000 NaN -inf Infinity +INF nan 1e999 €5");
    assertThat(sink.cells)
        .containsExactly(
            text("value"),
            text("value"),
            text("value"),
            text("value"),
            text("value"),
            num("value", Double.NaN),
            num("value", Double.NEGATIVE_INFINITY),
            num("value", Double.POSITIVE_INFINITY),
            num("value", Double.POSITIVE_INFINITY),
            num("value", Double.NaN),
            num("value", Double.POSITIVE_INFINITY),
            text("value"));
  }

  @Test
  void commaSplitsLocaleDecimals() {
    parse("1,5 1.000,25");
    assertThat(sink.cells)
        .containsExactly(num("value", 1), num("value", 5), num("value", 1), num("value", 25));
  }

  @Test
  void bomAtChunkStartIsSkipped() {
    byte[] body = "\uFEFF7 8".getBytes(StandardCharsets.UTF_8);
    assertThat(body[0]).isEqualTo((byte) 0xEF);
    parse(body);
    assertThat(sink.cells).containsExactly(num("value", 7), num("value", 8));
  }

  @Test
  void aByteOrderMarkOnlyStartsTheBody() {
    // Found by ChunkerHostileInputTest: "12345678,\uFEFF,000000" in chunks of 9 bytes left a
    // chunk "\uFEFF," continuing a line, whose skipped mark made its rows -1.
    byte[] chunk = "\uFEFF,".getBytes(StandardCharsets.UTF_8);
    RecordingSink s = new RecordingSink();

    ParseReport report = TextParser.parse(chunk, 0, chunk.length, false, true, s);

    assertThat(report).isEqualTo(new ParseReport(0, 0));
    assertThat(s.cells).containsExactly(text("value")); // as in the whole body

    // A chunk both first and continuing a line (a poison record) skips the mark and counts 0.
    s = new RecordingSink();
    assertThat(TextParser.parse(chunk, 0, 3, true, true, s)).isEqualTo(new ParseReport(0, 0));

    byte[] lineStart = "\uFEFF7 8".getBytes(StandardCharsets.UTF_8);
    s = new RecordingSink();
    TextParser.parse(lineStart, 0, lineStart.length, false, false, s);
    assertThat(s.cells).containsExactly(text("value"), num("value", 8));
  }

  @Test
  void emptyInputStillRegistersTheField() {
    ParseReport report = parse("");
    assertThat(sink.fields).containsExactly("value");
    assertThat(sink.cells).isEmpty();
    assertThat(report).isEqualTo(new ParseReport(0, 0));
  }

  @Test
  void respectsOffsetAndLength() {
    byte[] b = "99 1 2 99".getBytes(StandardCharsets.US_ASCII);
    RecordingSink s = new RecordingSink();
    TextParser.parse(b, 3, 3, s);
    assertThat(s.cells).containsExactly(num("value", 1), num("value", 2));
  }

  @Test
  void binaryGarbageNeverThrows() {
    Random random = new Random(3);
    byte[] garbage = new byte[100_000];
    random.nextBytes(garbage);
    ParseReport report = parse(garbage);
    assertThat(sink.cells).isNotEmpty();
    assertThat(report.rows()).isPositive();
    parse(new byte[] {(byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, '1', ' ', '2'});
    assertThat(sink.cells).containsExactly(text("value"), text("value"), num("value", 2));
  }

  @Test
  void splittingAtLineBoundariesGivesTheSameCells() {
    String doc = "1 2 3\nx,4;5\n\n-6e2 NaN\n7\n";
    parse(doc);
    List<Cell> whole = sink.cells;
    List<Cell> parts = new ArrayList<>();
    long rows = 0;
    for (String line : doc.split("(?<=\n)")) {
      rows += parse(line).rows();
      parts.addAll(sink.cells);
    }
    assertThat(parts).isEqualTo(whole);
    assertThat(rows).isEqualTo(4);
  }

  /** A long body, so that most tokens take the parser's fast path, against the reference. */
  @Test
  void manyTokensAgreeWithTheReference() {
    Random random = new Random(17);
    String[] separators = {" ", " ", "\t", ",", ";", "  ", "\n", "\r\n"};
    StringBuilder body = new StringBuilder();
    List<Cell> expected = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      String token = Tokens.random(random);
      body.append(token).append(separators[random.nextInt(separators.length)]);
      expected.add(Tokens.expected("value", token));
    }
    parse(body.toString());
    assertThat(sink.cells).isEqualTo(expected);
  }
}
