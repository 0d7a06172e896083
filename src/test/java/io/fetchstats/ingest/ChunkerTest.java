package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchstats.parse.CellSink;
import io.fetchstats.parse.Format;
import io.fetchstats.parse.JsonParser;
import io.fetchstats.parse.ParseReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private record Emitted(int seq, Format format, String header, String data) {}

  private final List<Emitted> chunks = new ArrayList<>();

  private Chunker chunker(Format format, int size) {
    return new Chunker(
        format,
        size,
        (seq, f, header, data) ->
            chunks.add(new Emitted(seq, f, header, new String(data, StandardCharsets.UTF_8))));
  }

  @Test
  void textIsCutAtLineEndsAndNoChunkExceedsTheSize() {
    String body = "1 2 3\n44 55\n666\n7777\n88\n";
    Chunker chunker = chunker(Format.TEXT, 10);

    write(chunker, body, 5);
    chunker.finish();

    assertThat(chunks)
        .extracting(Emitted::data)
        .containsExactly("1 2 3\n", "44 55\n666\n", "7777\n88\n");
    assertThat(chunks).extracting(Emitted::seq).containsExactly(0, 1, 2);
    assertThat(chunks).allSatisfy(c -> assertThat(c.data().length()).isLessThanOrEqualTo(10));
  }

  @Test
  void aLongTextLineIsCutBetweenValues() {
    Chunker chunker = chunker(Format.TEXT, 8);

    write(chunker, "12 34 56 78 90", 3);
    chunker.finish();

    assertThat(String.join("", chunks.stream().map(Emitted::data).toList()))
        .isEqualTo("12 34 56 78 90");
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.data()).doesNotStartWith("2").doesNotStartWith("4"));
    assertThat(chunks).extracting(Emitted::data).containsExactly("12 34 ", "56 78 90");
  }

  @Test
  void aLineCutAfterSeparatorsAloneIsNotContinuedSoItsRowCounts() {
    // Found by ChunkerHostileInputTest: the next chunk was told it continued a line whose row was
    // counted before, and took back a row never counted: 0 rows for a body of one line.
    Chunker chunker = chunker(Format.TEXT, 8);

    write(chunker, "      ,12345678", 8);
    chunker.finish();

    assertThat(chunks).extracting(Emitted::data).containsExactly("      ,", "12345678");
    assertThat(chunks).extracting(Emitted::header).containsExactly(null, null);
    assertThat(chunks.stream().mapToLong(c -> parse(Format.TEXT, c).rows()).sum()).isEqualTo(1);
  }

  @Test
  void aBodyThatFillsAChunkExactlyStaysWhole() {
    Chunker chunker = chunker(Format.TEXT, 8);

    write(chunker, "12 34 56", 3);
    chunker.finish();

    assertThat(chunks).extracting(Emitted::data).containsExactly("12 34 56");
  }

  @Test
  void everyCsvChunkCarriesTheHeaderAndChunkZeroAlsoHoldsIt() {
    Chunker chunker = chunker(Format.CSV, 16);

    write(chunker, "a,b\r\n1,2\n3,4\n5,6\n7,8\n", 4);
    chunker.finish();

    assertThat(chunks).allSatisfy(c -> assertThat(c.header()).isEqualTo("a,b"));
    assertThat(chunks.get(0).data()).startsWith("a,b\r\n");
    assertThat(String.join("", chunks.stream().map(Emitted::data).toList()))
        .isEqualTo("a,b\r\n1,2\n3,4\n5,6\n7,8\n");
  }

  @Test
  void blankLinesBeforeTheCsvHeaderAreDroppedUntilAChunkHoldsIt() {
    // Cut after the blank lines alone, chunk 0 held no header row: every chunk carried the header
    // "", and each later chunk's first row was taken for its header (or its data for col1, col2).
    Chunker chunker = chunker(Format.CSV, 16);

    write(chunker, "\uFEFF" + " \n".repeat(10) + "a;b\n1;2\n3;4\n5;6\n7;8\n", 4);
    chunker.finish();

    assertThat(chunks).allSatisfy(c -> assertThat(c.header()).isEqualTo("a;b"));
    // The first full buffer, the mark, six blank lines and a space, held no row: all of it but
    // that space was dropped.
    assertThat(chunks)
        .extracting(Emitted::data)
        .containsExactly(" \n \n \n \na;b\n1;2\n", "3;4\n5;6\n7;8\n");
  }

  @Test
  void aCsvRowIsNotCutAtANewlineInsideQuotes() {
    Chunker chunker = chunker(Format.CSV, 20);

    write(chunker, "n,t\n1,\"x\ny\"\n2,\"a\nb\nc\"\n", 1);
    chunker.finish();

    assertThat(chunks)
        .extracting(Emitted::data)
        .containsExactly("n,t\n1,\"x\ny\"\n", "2,\"a\nb\nc\"\n");
  }

  @Test
  void aRecordLongerThanAChunkIsRefusedRatherThanSplit() {
    Chunker chunker = chunker(Format.TEXT, 4);

    assertThatThrownBy(() -> write(chunker, "123456789", 9))
        .isInstanceOf(Chunker.RecordTooLongException.class)
        .hasMessageContaining("longer than the chunk size of 4 bytes");
  }

  @Test
  void aJsonArrayIsCutBetweenElementsAndEachChunkIsAnArrayAgain() {
    String body = "[{\"a\": \"x,]\"}, {\"b\": [1, 2]},\n 3, \"q\\\",]\", [4], {\"c\": {}}]\n";
    Chunker chunker = chunker(Format.JSON, 20);

    write(chunker, body, 3);
    chunker.finish();

    assertThat(chunks)
        .extracting(Emitted::data)
        .containsExactly(
            "[{\"a\": \"x,]\"}]",
            // The comma after 3 ends the buffer: the next element has not begun, so no cut there.
            "[ {\"b\": [1, 2]}]",
            "[\n 3, \"q\\\",]\"]",
            "[ [4], {\"c\": {}}]\n");
    assertThat(chunks).allSatisfy(c -> assertThat(c.data().length()).isLessThanOrEqualTo(20));
    assertThat(chunks).extracting(Emitted::header).containsExactly(null, "[", "[", "[");
  }

  @Test
  void aJsonBodyThatFitsAChunkIsLeftAsItIs() {
    String body = "\uFEFF \n{\"a\": [1, 2, 3]}\n";
    Chunker chunker = chunker(Format.JSON, body.getBytes(StandardCharsets.UTF_8).length);

    write(chunker, body, 2);
    chunker.finish();

    assertThat(chunks).extracting(Emitted::data).containsExactly(body);
  }

  @Test
  void aJsonScalarLongerThanAChunkIsRefused() {
    Chunker chunker = chunker(Format.JSON, 16);

    assertThatThrownBy(() -> write(chunker, "[1, {\"long\": \"abcdefghijklmnop\"}, 2]", 4))
        .isInstanceOf(Chunker.RecordTooLongException.class)
        .hasMessage(
            "a JSON value (documents are split between the values of arrays and objects whose"
                + " path takes at most a quarter of a chunk) is longer than the chunk size of 16"
                + " bytes");
    assertThat(chunks).extracting(Emitted::data).containsExactly("[1]");
  }

  @Test
  void aValidJsonStringLongerThanAChunkStaysARecordTooLong() {
    Chunker chunker = chunker(Format.JSON, 32);

    assertThatThrownBy(() -> write(chunker, "[\"" + "x".repeat(100) + "\"]", 7))
        .isInstanceOf(Chunker.RecordTooLongException.class);
  }

  @Test
  void aJsonBodyThatIsNotJsonIsBrokenAtItsFirstByte() {
    Chunker chunker = chunker(Format.JSON, 16);
    String body = "<html><body>Not found</body></html>";

    assertThatThrownBy(() -> write(chunker, body, 4))
        .isInstanceOf(Chunker.MalformedException.class)
        .hasMessage("broken JSON at byte 0: unexpected '<' where a value was expected")
        .hasMessage(parseError(body));
    assertThat(chunks).isEmpty();
  }

  @Test
  void jsonBrokenAfterAValidStartLongerThanAChunkIsBrokenAtItsByteInTheBody() {
    // The chunks before re-open {"data":[ (9 bytes): the offset counts the body's bytes.
    String body =
        "{\"data\": [" + "12, ".repeat(30) + "oops this is no JSON and it goes on and on]}";
    Chunker chunker = chunker(Format.JSON, 48);

    assertThatThrownBy(() -> write(chunker, body, 5))
        .isInstanceOf(Chunker.MalformedException.class)
        .hasMessage("broken JSON at byte 130: unexpected 'o' where a value was expected")
        .hasMessage(parseError(body));
    assertThat(body.indexOf("oops")).isEqualTo(130);
    assertThat(chunks).hasSizeGreaterThan(2);
    assertThat(chunks).allSatisfy(c -> assertThat(parseError(c.data())).isNull());
  }

  @Test
  void jsonCutShortInAWordIsNotBroken() {
    // A buffer ending in "tr" could go on "ue": a value too long, not broken JSON.
    Chunker chunker = chunker(Format.JSON, 16);

    assertThatThrownBy(() -> write(chunker, "{\"abcdefghij\":true}", 1))
        .isInstanceOf(Chunker.RecordTooLongException.class);
  }

  @Test
  void aChunkClosedAtACutFitsTheChunkSizeWithItsClosingBrackets() {
    // Found by ChunkerHostileInputTest: cut at the last comma of a full buffer, four levels deep,
    // the chunk and its four closing brackets took 33 bytes of 32.
    String body = "[[[[" + "1,".repeat(40) + "1]]]]";
    Chunker chunker = chunker(Format.JSON, 32);

    write(chunker, body, 32);
    chunker.finish();

    assertThat(chunks).allSatisfy(c -> assertThat(c.data().length()).isLessThanOrEqualTo(32));
    assertThat(chunks).allSatisfy(c -> assertThat(parseError(c.data())).isNull());
  }

  @Test
  void aCutReopeningMoreThanTheBytesBeforeItIsNotTaken() {
    // Found by ChunkerHostileInputTest: keys without their colon (broken JSON) re-open longer
    // than the bytes before the comma ({"a":{"b":{"c":[ for {"a"{"b"{"c"[1), and the rest of a
    // full buffer behind them overflowed it (an index out of bounds).
    Chunker chunker = chunker(Format.JSON, 80);

    assertThatThrownBy(
            () -> write(chunker, "{\"a\"{\"b\"{\"c\"[1,\"" + "x".repeat(100) + "\"]}}}", 80))
        .isInstanceOf(Chunker.MalformedException.class)
        .hasMessage("broken JSON at byte 4: unexpected '{' where ':' after a key was expected");
  }

  @Test
  void aJsonObjectIsCutInsideItsArraysAndEachChunkReopensThePathToTheCut() {
    String body =
        "{\"n\": 9, \"data\": [{\"p\": 1}, {\"p\": 2, \"q\": [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]}],"
            + " \"m\": {\"x\": 5}}";
    Chunker chunker = chunker(Format.JSON, 80);

    write(chunker, body, 5);
    chunker.finish();

    assertThat(chunks)
        .extracting(Emitted::data)
        .containsExactly(
            "{\"n\": 9, \"data\": [{\"p\": 1}, {\"p\": 2, \"q\": [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}]}",
            "{\"data\":[{\"q\":[ 13, 14, 15, 16, 17, 18]}], \"m\": {\"x\": 5}}");
    assertThat(chunks).extracting(Emitted::header).containsExactly(null, "{\"data\":[{\"q\":[");
    assertThat(chunks).allSatisfy(c -> assertThat(c.data().length()).isLessThanOrEqualTo(80));
    // The document is one row however it was cut: re-opened values count in the chunk they began.
    assertThat(chunks.stream().mapToLong(c -> parse(c).rows()).sum()).isEqualTo(1);
  }

  @Test
  void aJsonPathOverAQuarterOfAChunkIsRefused() {
    Chunker chunker = chunker(Format.JSON, 64);

    assertThatThrownBy(
            () -> write(chunker, "{\"a long key, for a path\": [" + "1, ".repeat(40) + "1]}", 8))
        .isInstanceOf(Chunker.RecordTooLongException.class)
        .hasMessage(
            "a JSON value (documents are split between the values of arrays and objects whose"
                + " path takes at most a quarter of a chunk) is longer than the chunk size of 64"
                + " bytes");
  }

  @Test
  void keysThatAreNotUtf8KeepTheirLengthInTheHeader() {
    byte[] body =
        "{\"caf#\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]}"
            .getBytes(StandardCharsets.US_ASCII);
    body[5] = (byte) 0xE9; // Latin-1, not UTF-8
    List<String> headers = new ArrayList<>();
    long[] rows = new long[1];
    Chunker chunker =
        new Chunker(
            Format.JSON,
            64,
            (seq, format, header, data) -> {
              headers.add(header);
              rows[0] += format.parse(data, 0, data.length, header, seq == 0, CellSink.NONE).rows();
            });

    chunker.write(body, 0, body.length);
    chunker.finish();

    assertThat(headers).hasSizeGreaterThan(1);
    assertThat(headers.get(1)).isEqualTo("{\"caf\u00e9\":[");
    assertThat(rows[0]).isEqualTo(1);
  }

  private static ParseReport parse(Emitted chunk) {
    return parse(Format.JSON, chunk);
  }

  private static ParseReport parse(Format format, Emitted chunk) {
    byte[] b = chunk.data().getBytes(StandardCharsets.UTF_8);
    return format.parse(b, 0, b.length, chunk.header(), chunk.seq() == 0, CellSink.NONE);
  }

  @Test
  void ndjsonIsCutAtLineEnds() {
    Chunker chunker = chunker(Format.NDJSON, 24);

    write(chunker, "{\"a\": 1}\r\n{\"a\": 22}\n\n{\"a\": 333}\n{\"b\": [4, 5]}\n{}", 5);
    chunker.finish();

    assertThat(chunks)
        .extracting(Emitted::data)
        .containsExactly("{\"a\": 1}\r\n{\"a\": 22}\n\n", "{\"a\": 333}\n", "{\"b\": [4, 5]}\n{}");
  }

  @Test
  void anNdjsonLineLongerThanAChunkIsRefusedNotCutBetweenValues() {
    Chunker chunker = chunker(Format.NDJSON, 12);

    assertThatThrownBy(() -> write(chunker, "[1, 2, 3, 4, 5, 6]\n", 4))
        .isInstanceOf(Chunker.RecordTooLongException.class)
        .hasMessage("an NDJSON line is longer than the chunk size of 12 bytes");
  }

  @Test
  void brokenJsonStaysBrokenWhateverTheChunkSize() {
    for (String body :
        new String[] {
          "[1,,2]",
          "[,1,2]",
          "[1,2,]",
          "[1,2,,]",
          "[1 2,3]",
          "[1,2",
          "[1,2]x",
          "[1,2]]",
          "[1,\"2]",
          "[1,{\"a\":2]]",
          "[1, 2, tru, 4]",
          "[1, 2, 3,\n]",
          "[[1,2],[3,4]]]",
          "[1,2]\n[3]"
        }) {
      int length = body.getBytes(StandardCharsets.UTF_8).length;
      for (int size = 3; size <= length + 1; size++) {
        chunks.clear();
        Chunker chunker = chunker(Format.JSON, size);
        try {
          write(chunker, body, 1);
          chunker.finish();
        } catch (Chunker.RecordTooLongException refused) {
          continue; // a failure too
        } catch (Chunker.MalformedException refused) {
          assertThat(refused).as("%s in chunks of %d", body, size).hasMessage(parseError(body));
          continue;
        }
        assertThat(chunks)
            .as("%s in chunks of %d: %s", body, size, chunks)
            .anySatisfy(c -> assertThat(parseError(c.data())).isNotNull());
      }
    }
  }

  private static String parseError(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return JsonParser.parse(b, 0, b.length, CellSink.NONE).error();
  }

  @Test
  void anEmptyBodyHasNoChunks() {
    Chunker chunker = chunker(Format.CSV, 1024);

    chunker.finish();

    assertThat(chunks).isEmpty();
  }

  @Test
  void theChunksAddUpToTheBodyWhateverTheWriteSizes() {
    SplittableRandom random = new SplittableRandom(7);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < 2_000; i++) {
      body.writeBytes(
          (random.nextInt(1_000_000) + (i % 7 == 0 ? "\n" : " ")).getBytes(StandardCharsets.UTF_8));
    }
    String text = body.toString(StandardCharsets.UTF_8);
    for (int writeSize : new int[] {1, 13, 4096, text.length()}) {
      chunks.clear();
      Chunker chunker = chunker(Format.TEXT, 1024);
      write(chunker, text, writeSize);
      chunker.finish();

      assertThat(String.join("", chunks.stream().map(Emitted::data).toList())).isEqualTo(text);
      assertThat(chunks).allSatisfy(c -> assertThat(c.data().length()).isLessThanOrEqualTo(1024));
    }
  }

  private static void write(Chunker chunker, String body, int writeSize) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += writeSize) {
      chunker.write(bytes, i, Math.min(writeSize, bytes.length - i));
    }
  }
}
