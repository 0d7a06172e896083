package io.fetchstats.parse;

import static io.fetchstats.parse.RecordingSink.missing;
import static io.fetchstats.parse.RecordingSink.num;
import static io.fetchstats.parse.RecordingSink.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NdjsonParserTest {

  private RecordingSink sink;

  private ParseReport parse(String ndjson) {
    byte[] b = ndjson.getBytes(StandardCharsets.UTF_8);
    sink = new RecordingSink();
    return NdjsonParser.parse(b, 0, b.length, sink);
  }

  @Test
  void eachLineIsADocumentWithoutTheArrayPrefix() {
    ParseReport report =
        parse(
            "{\"delay\": 5, \"host\": \"a\"}\n"
                + "{\"delay\": 7, \"tags\": [1, 2], \"geo\": {\"lat\": 48.1}}\n"
                + "{\"delay\": null}\n");

    assertThat(sink.cells)
        .containsExactly(
            num("delay", 5),
            text("host"),
            num("delay", 7),
            num("tags[]", 1),
            num("tags[]", 2),
            num("geo.lat", 48.1),
            missing("delay"));
    assertThat(sink.fieldCalls).containsExactly("delay", "host", "tags[]", "geo.lat");
    assertThat(report).isEqualTo(new ParseReport(3, 0));
  }

  @Test
  void scalarAndArrayLines() {
    ParseReport report = parse("1\n2.5\n\"x\"\n[3, 4]\n");

    assertThat(sink.cells)
        .containsExactly(
            num("value", 1), num("value", 2.5), text("value"), num("[]", 3), num("[]", 4));
    assertThat(report).isEqualTo(new ParseReport(4, 0));
  }

  @Test
  void blankLinesCrlfAndNoFinalLineFeed() {
    ParseReport report = parse("\n  \r\n{\"a\": 1}\r\n\t\n{\"a\": 2} \r\n\r\n{\"a\": 3}");

    assertThat(sink.cells).containsExactly(num("a", 1), num("a", 2), num("a", 3));
    assertThat(report).isEqualTo(new ParseReport(3, 0));
  }

  @Test
  void aByteOrderMarkIsSkippedAtTheStartOfAnyLine() {
    ParseReport report = parse("\uFEFF{\"a\": 1}\n\uFEFF{\"a\": 2}\n");

    assertThat(sink.cells).containsExactly(num("a", 1), num("a", 2));
    assertThat(report).isEqualTo(new ParseReport(2, 0));
  }

  @Test
  void aBadLineIsCountedAndNoneOfItsCellsCountButTheOtherLinesDo() {
    ParseReport report =
        parse(
            "{\"a\": 1}\n"
                + "{\"a\": 2, \"b\": 3, oops}\n"
                + "{\"a\": 4}\n"
                + "{\"a\": 5, \"c\": \n"
                + "{\"a\": 6} trailing\n"
                + "{\"a\": \"unterminated\n"
                + "[1, 2\n"
                + "{\"a\": 7}");

    assertThat(sink.cells).containsExactly(num("a", 1), num("a", 4), num("a", 7));
    // Fields seen only in bad lines are not fields.
    assertThat(sink.fieldCalls).containsExactly("a");
    assertThat(report).isEqualTo(new ParseReport(8, 5));
    assertThat(report.error()).isNull();
  }

  @Test
  void aValueDoesNotContinueOnTheNextLine() {
    ParseReport report = parse("{\"a\":\n1}\n[1,\n2]\n");

    assertThat(sink.cells).isEmpty();
    assertThat(report).isEqualTo(new ParseReport(4, 4));
  }
}
