package io.fetchstats.parse;

import static io.fetchstats.parse.RecordingSink.missing;
import static io.fetchstats.parse.RecordingSink.num;
import static io.fetchstats.parse.RecordingSink.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.fetchstats.parse.RecordingSink.Cell;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvParserTest {

  private RecordingSink sink;

  /** Parses a whole body the way ingest hands over chunk 0: header line given, first chunk. */
  private ParseReport parse(String body) {
    return parse(body.getBytes(StandardCharsets.UTF_8), firstLine(body), true);
  }

  private ParseReport parse(String body, String headerLine, boolean firstChunk) {
    return parse(body.getBytes(StandardCharsets.UTF_8), headerLine, firstChunk);
  }

  private ParseReport parse(byte[] body, String headerLine, boolean firstChunk) {
    sink = new RecordingSink();
    return CsvParser.parse(body, 0, body.length, headerLine, firstChunk, (byte) ',', sink);
  }

  private static String firstLine(String body) {
    int nl = body.indexOf('\n');
    String line = nl < 0 ? body : body.substring(0, nl);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  @Test
  void numbersUnderAHeader() {
    ParseReport report = parse("a,b,c\n-1,1e5,.5\n5.,+2,-2.5E-3\n0,1E+2,-0\n");
    assertThat(sink.fieldCalls).containsExactly("a", "b", "c");
    assertThat(sink.cells)
        .containsExactly(
            num("a", -1),
            num("b", 1e5),
            num("c", 0.5),
            num("a", 5),
            num("b", 2),
            num("c", -0.0025),
            num("a", 0),
            num("b", 100),
            num("c", -0.0));
    assertThat(report).isEqualTo(new ParseReport(3, 0));
  }

  @Test
  void emptyCellsAreMissing() {
    parse("a,b,c\n,1,\n \t, \"\" ,\"  \"\n");
    assertThat(sink.cells)
        .containsExactly(
            missing("a"), num("b", 1), missing("c"), missing("a"), missing("b"), missing("c"));
  }

  @Test
  void nonNumericCells() {
    parse("v\n2024-01-01\nalice\n0x1F\n1d\n1_000\n1.2.3\n12:30\n\"1,5\"\n");
    assertThat(sink.cells).hasSize(8).allMatch(c -> c.equals(text("v")));
  }

  @Test
  void unquotedLocaleDecimalIsTwoCells() {
    ParseReport report = parse("a,b\n1,5\n\"1,5\",2\n");
    assertThat(sink.cells).containsExactly(num("a", 1), num("b", 5), text("a"), num("b", 2));
    assertThat(report.raggedRows()).isZero();
  }

  @Test
  void quotedFields() {
    ParseReport report =
        parse(
            "name,price\n"
                + "\"Widget, large\",\"12.5\"\n"
                + "\"He said \"\"hi\"\"\",\" 3 \"\n"
                + "\"two\nlines\",\"4\"\n"
                + "\"\"\"7\"\"\",\"7\"\"\"\n");
    assertThat(sink.cells)
        .containsExactly(
            text("name"), num("price", 12.5),
            text("name"), num("price", 3),
            text("name"), num("price", 4),
            text("name"), text("price"));
    assertThat(report).isEqualTo(new ParseReport(4, 0));
  }

  @Test
  void quotedHeaderNamesAreUnquotedAndTrimmed() {
    parse("\" price \",\"a,b\",\"say \"\"x\"\"\", plain \n1,2,3,4\n");
    assertThat(sink.fieldCalls).containsExactly("price", "a,b", "say \"x\"", "plain");
    assertThat(sink.cells)
        .containsExactly(num("price", 1), num("a,b", 2), num("say \"x\"", 3), num("plain", 4));
  }

  @Test
  void crlf() {
    ParseReport report = parse("a,b\r\n1,2\r\n3, 4 \r\n\"5\",\"6\"\r\n\r\n");
    assertThat(sink.fieldCalls).containsExactly("a", "b");
    assertThat(sink.cells)
        .containsExactly(
            num("a", 1), num("b", 2), num("a", 3), num("b", 4), num("a", 5), num("b", 6));
    assertThat(report.rows()).isEqualTo(3);
  }

  @Test
  void bomIsSkipped() {
    byte[] body = "\uFEFFa,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
    // Header line as ingest would pass it, BOM included, and without.
    for (String header : new String[] {"\uFEFFa,b", "a,b", null}) {
      parse(body, header, true);
      assertThat(sink.fieldCalls).containsExactly("a", "b");
      assertThat(sink.cells).containsExactly(num("a", 1), num("b", 2));
    }
    parse("\uFEFF1,2\n3,4\n");
    assertThat(sink.fieldCalls).containsExactly("col1", "col2");
    assertThat(sink.cells)
        .containsExactly(num("col1", 1), num("col2", 2), num("col1", 3), num("col2", 4));
  }

  @Test
  void aByteOrderMarkIsSkippedOnlyWhereTheBodyStarts() {
    // A later chunk's first cell keeps the bytes, as the whole body's cell does.
    parse("\uFEFF3,4\n", "a,b", false);

    assertThat(sink.cells).containsExactly(text("a"), num("b", 4));
  }

  @Test
  void numericFirstRowMeansNoHeaderAndIsData() {
    ParseReport report = parse("1,2.5,-3\n4,5,6\n");
    assertThat(sink.fieldCalls).containsExactly("col1", "col2", "col3");
    assertThat(sink.cells)
        .containsExactly(
            num("col1", 1),
            num("col2", 2.5),
            num("col3", -3),
            num("col1", 4),
            num("col2", 5),
            num("col3", 6));
    assertThat(report).isEqualTo(new ParseReport(2, 0));

    // Quoted numbers, non-finite values and an empty cell still make a data row.
    report = parse("\"1\",NaN,,-inf\n");
    assertThat(sink.fieldCalls).containsExactly("col1", "col2", "col3", "col4");
    assertThat(sink.cells)
        .containsExactly(
            num("col1", 1),
            num("col2", Double.NaN),
            missing("col3"),
            num("col4", Double.NEGATIVE_INFINITY));
    assertThat(report.rows()).isEqualTo(1);
  }

  @Test
  void numericHeaderLineInALaterChunkIsNotCountedAgain() {
    ParseReport report = parse("7,8\n9,10\n", "1,2", false);
    assertThat(sink.fieldCalls).containsExactly("col1", "col2");
    assertThat(sink.cells)
        .containsExactly(num("col1", 7), num("col2", 8), num("col1", 9), num("col2", 10));
    assertThat(report.rows()).isEqualTo(2);
  }

  @Test
  void headerOnlyChunk() {
    for (String body : new String[] {"x,y,z", "x,y,z\n", "x,y,z\r\n\n"}) {
      ParseReport report = parse(body);
      assertThat(sink.fieldCalls).containsExactly("x", "y", "z");
      assertThat(sink.cells).isEmpty();
      assertThat(report).isEqualTo(new ParseReport(0, 0));
    }
    ParseReport report = parse("x,y\n", null, false);
    assertThat(sink.fieldCalls).containsExactly("x", "y");
    assertThat(report.rows()).isZero();
  }

  @Test
  void emptyChunk() {
    assertThat(parse("", null, true)).isEqualTo(new ParseReport(0, 0));
    assertThat(sink.fieldCalls).isEmpty();
    assertThat(parse("", "a,b", false)).isEqualTo(new ParseReport(0, 0));
    assertThat(sink.fieldCalls).containsExactly("a", "b");
  }

  @Test
  void raggedRows() {
    ParseReport report = parse("a,b,c\n1\n1,2\n1,2,3,4,5\n1,2,3,\n1,2,3\n");
    assertThat(sink.cells)
        .containsExactly(
            num("a", 1),
            missing("b"),
            missing("c"),
            num("a", 1),
            num("b", 2),
            missing("c"),
            num("a", 1),
            num("b", 2),
            num("c", 3),
            num("a", 1),
            num("b", 2),
            num("c", 3),
            num("a", 1),
            num("b", 2),
            num("c", 3));
    assertThat(report).isEqualTo(new ParseReport(5, 2));
  }

  @Test
  void nonFiniteVariants() {
    parse("v\nNaN\nnan\n-NaN\ninf\n-inf\n+INF\nInfinity\n-Infinity\ninfinity\n1e999\n-1e999\n");
    double p = Double.POSITIVE_INFINITY;
    double m = Double.NEGATIVE_INFINITY;
    assertThat(sink.cells)
        .containsExactly(
            num("v", Double.NaN),
            num("v", Double.NaN),
            num("v", Double.NaN),
            num("v", p),
            num("v", m),
            num("v", p),
            num("v", p),
            num("v", m),
            num("v", p),
            num("v", p),
            num("v", m));
  }

  @Test
  void blankLinesAreSkipped() {
    ParseReport report = parse("\n\na,b\n\n1,2\n  \t\n\r\n3,4\n\n");
    assertThat(sink.fieldCalls).containsExactly("a", "b");
    assertThat(sink.cells).containsExactly(num("a", 1), num("b", 2), num("a", 3), num("b", 4));
    assertThat(report.rows()).isEqualTo(2);
  }

  @Test
  void laterChunkHasNoHeaderRow() {
    ParseReport report = parse("1,2\n3,4\n", "a,b", false);
    assertThat(sink.fieldCalls).containsExactly("a", "b");
    assertThat(sink.cells).containsExactly(num("a", 1), num("b", 2), num("a", 3), num("b", 4));
    assertThat(report.rows()).isEqualTo(2);
  }

  @Test
  void withoutHeaderLineTheFirstRowOfTheChunkDecides() {
    parse("a,b\n1,2\n", null, false);
    assertThat(sink.fieldCalls).containsExactly("a", "b");
    assertThat(sink.cells).containsExactly(num("a", 1), num("b", 2));
    ParseReport report = parse("\n1,2\n3,4\n", null, false);
    assertThat(sink.fieldCalls).containsExactly("col1", "col2");
    assertThat(report.rows()).isEqualTo(2);
  }

  @Test
  void emptyAndDuplicateNames() {
    parse("a,,a,b, a ,a_2,\n1,2,3,4,5,6,7\n");
    assertThat(sink.fieldCalls).containsExactly("a", "col2", "a_2", "b", "a_3", "a_2_2", "col7");
    assertThat(sink.cells)
        .extracting(Cell::value)
        .containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
  }

  @Test
  void textOnlyHeaderFieldsStillRegister() {
    parse("id,name,when\n1,alice,2024-01-01\n");
    assertThat(sink.fieldCalls).containsExactly("id", "name", "when");
    assertThat(sink.cells).containsExactly(num("id", 1), text("name"), text("when"));
  }

  @Test
  void strayQuotes() {
    // A quote inside an unquoted cell is ordinary; junk after a closing quote makes the cell text;
    // a quote never closed does not swallow the following rows.
    ParseReport report = parse("a,b\n1\"2,3\n\"4\"x,5\n\"6,7\n8,9\n");
    assertThat(sink.cells)
        .containsExactly(
            text("a"),
            num("b", 3),
            text("a"),
            num("b", 5),
            text("a"),
            num("b", 7),
            num("a", 8),
            num("b", 9));
    assertThat(report.rows()).isEqualTo(4);
  }

  @Test
  void binaryGarbageNeverThrows() {
    Random random = new Random(11);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[random.nextInt(5000)];
      random.nextBytes(garbage);
      // Sprinkle CSV syntax so quotes, commas and newlines interact.
      for (int j = 0; j < garbage.length / 10; j++) {
        garbage[random.nextInt(garbage.length)] = (byte) "\",\n\r 1".charAt(random.nextInt(6));
      }
      parse(garbage, null, true);
      parse(garbage, "a,b", i % 2 == 0);
      parse(garbage, "\"unterminated", true);
    }
  }

  @Test
  void invalidUtf8InNamesIsReplaced() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {'a', (byte) 0xFF, ',', 'b', '\n', '1', ',', (byte) 0xC3, '\n'});
    parse(body.toByteArray(), null, true);
    assertThat(sink.fieldCalls).containsExactly("a\uFFFD", "b");
    assertThat(sink.cells).containsExactly(num("a\uFFFD", 1), text("b"));
  }

  @Test
  void respectsOffsetAndLength() {
    byte[] b = "junk\"a,b\n1,2\n\"junk".getBytes(StandardCharsets.US_ASCII);
    RecordingSink s = new RecordingSink();
    ParseReport report = CsvParser.parse(b, 5, 8, null, true, (byte) ',', s);
    assertThat(s.cells).containsExactly(num("a", 1), num("b", 2));
    assertThat(report.rows()).isEqualTo(1);
  }

  @Test
  void chunkingDoesNotChangeTheCells() {
    Random random = new Random(5);
    String[] values = {
      "1",
      "-2.5",
      " 3e2 ",
      "\"4\"",
      "",
      "x",
      "\"a,b\"",
      "\"l1\nl2\"",
      "NaN",
      "\"q\"\"q\"",
      "-inf",
      ".5",
      "5.",
      "1e999",
      "\" 7 \""
    };
    for (boolean named : new boolean[] {true, false}) {
      List<String> rows = new ArrayList<>();
      rows.add(named ? "h1,\"h,2\",h3\r\n" : "10,20,30\n");
      for (int i = 0; i < 300; i++) {
        int cells = 1 + random.nextInt(4);
        StringBuilder row = new StringBuilder();
        for (int c = 0; c < cells; c++) {
          row.append(c == 0 ? "" : ",").append(values[random.nextInt(values.length)]);
        }
        row.append(random.nextBoolean() ? "\n" : "\r\n");
        if (random.nextInt(10) == 0) {
          row.append("\n");
        }
        rows.add(row.toString());
      }
      String doc = String.join("", rows);
      String header = firstLine(doc);

      ParseReport whole = parse(doc, header, true);
      List<Cell> wholeCells = sink.cells;
      // A row holding one empty unquoted cell is a blank line.
      long nonBlank = rows.stream().skip(named ? 1 : 0).filter(r -> !r.isBlank()).count();
      assertThat(whole.rows()).isEqualTo(nonBlank);

      for (int chunkRows : new int[] {1, 2, 7, 50}) {
        List<Cell> cells = new ArrayList<>();
        long total = 0;
        long ragged = 0;
        for (int from = 0; from < rows.size(); from += chunkRows) {
          String chunk =
              String.join("", rows.subList(from, Math.min(rows.size(), from + chunkRows)));
          ParseReport r = parse(chunk, header, from == 0);
          assertThat(sink.fieldCalls).hasSize(3);
          cells.addAll(sink.cells);
          total += r.rows();
          ragged += r.raggedRows();
        }
        assertThat(cells).isEqualTo(wholeCells);
        assertThat(total).isEqualTo(whole.rows());
        assertThat(ragged).isEqualTo(whole.raggedRows());
      }
    }
  }

  /**
   * A long body of ragged rows, so that most cells take the parser's fast path, against the
   * reference: cells trimmed, empty ones missing, short rows padded with missing cells.
   */
  @Test
  void manyCellsAgreeWithTheReference() {
    Random random = new Random(23);
    String[] fields = {"a", "b", "c"};
    StringBuilder body = new StringBuilder("a,b,c\n");
    List<Cell> expected = new ArrayList<>();
    long ragged = 0;
    for (int row = 0; row < 20_000; row++) {
      int cells = random.nextInt(10) == 0 ? 1 + random.nextInt(5) : 3;
      ragged += cells > 3 ? 1 : 0;
      for (int col = 0; col < cells; col++) {
        // An empty cell, but never a whole row of one, which would be a blank line.
        String token = cells > 1 && random.nextInt(20) == 0 ? "" : Tokens.random(random);
        String pad = random.nextInt(10) == 0 ? " " : "";
        body.append(pad).append(token).append(pad).append(col + 1 < cells ? "," : "");
        if (col < 3) {
          expected.add(
              token.isEmpty() ? missing(fields[col]) : Tokens.expected(fields[col], token));
        }
      }
      for (int col = cells; col < 3; col++) {
        expected.add(missing(fields[col]));
      }
      body.append(random.nextInt(10) == 0 ? "\r\n" : "\n");
    }
    ParseReport report = parse(body.toString());
    assertThat(sink.cells).isEqualTo(expected);
    assertThat(report).isEqualTo(new ParseReport(20_000, ragged));
  }

  @Test
  void chunksEndAfterTheLastRowNoByteAfterItCouldChange() {
    String[][] cases = {
      // body, what the cut keeps
      {"a,b\n1,2\n3,", "a,b\n1,2\n"},
      {"a,b\n1,2\n  ", "a,b\n1,2\n  "}, // blank space after the last row is a blank line
      {"1,2", ""},
      {"a,b\n1,\"x\ny\"\n2,\"z\n", "a,b\n1,\"x\ny\"\n"}, // a quote left open hides a line feed
      {"a,b\n1,\"x\ny\"\n2,3\n", "a,b\n1,\"x\ny\"\n2,3\n"},
      {"a,b\n1,x\"y\n2,3\n4", "a,b\n1,x\"y\n2,3\n"}, // a quote inside a cell is a byte
      {"a,b\r\n1,2\r\n3", "a,b\r\n1,2\r\n"},
      // A CR ends a line only before a line feed: followed by "3,4\n" it is part of a cell.
      {"a,b\n1,2\n\r", "a,b\n1,2\n"},
      {"a,b\n1,2\n \r", "a,b\n1,2\n "}
    };
    for (String[] c : cases) {
      byte[] b = ("xx" + c[0] + "yy").getBytes(StandardCharsets.UTF_8);
      int end = b.length - 2; // a range inside a larger array
      int cut = CsvParser.lastRowEnd(b, 2, end, (byte) ',');
      assertThat(new String(b, 2, cut - 2, StandardCharsets.UTF_8)).as(c[0]).isEqualTo(c[1]);
    }
  }
}
