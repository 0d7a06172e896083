package io.fetchstats.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every parser, and every helper the chunker cuts bodies with, fed bytes no server should send:
 * nothing escapes but the documented outcomes, and nothing outside the range given is read.
 */
class HostileInputPropertiesTest {

  /** A range of bytes within a larger array, with what a chunk of it would carry. */
  record Input(byte[] data, int offset, int length, String header, boolean firstChunk) {
    byte[] range() {
      return Arrays.copyOfRange(data, offset, offset + length);
    }

    @Override
    public String toString() {
      return "Input[range=%s, offset=%d, around=%d, header=%s, firstChunk=%b]"
          .formatted(
              HostileBytes.show(data, offset, offset + length),
              offset,
              data.length - length,
              header == null
                  ? null
                  : HostileBytes.show(
                      header.getBytes(StandardCharsets.ISO_8859_1), 0, header.length()),
              firstChunk);
    }
  }

  @Property(tries = 5_000, seed = "1111")
  void everyParserReadsAnyBytesToAReport(@ForAll Format format, @ForAll("inputs") Input in) {
    ParseContract.Parsed parsed =
        ParseContract.parse(
            format, in.data(), in.offset(), in.length(), in.header(), in.firstChunk());

    // The same bytes alone in an array of their own: nothing around the range counts.
    byte[] alone = in.range();
    assertThat(ParseContract.parse(format, alone, 0, alone.length, in.header(), in.firstChunk()))
        .isEqualTo(parsed);
  }

  @Property(tries = 2_000, seed = "2222")
  void theChunkersCsvHelpersStayWithinTheirRange(
      @ForAll("inputs") Input in, @ForAll("delimiters") byte delimiter) {
    int from = in.offset();
    int to = in.offset() + in.length();

    int end = CsvParser.lastRowEnd(in.data(), from, to, delimiter);
    assertThat(end).isBetween(from, to);
    if (end > from) {
      // A row's line feed, or blank space after it (a CR there may yet start a row).
      byte last = in.data()[end - 1];
      assertThat(last == '\n' || last == ' ' || (last == '\t' && delimiter != '\t'))
          .as("ends at %s", HostileBytes.show(in.data(), end - 1, end))
          .isTrue();
    }
    byte[] alone = in.range();
    assertThat(CsvParser.lastRowEnd(alone, 0, alone.length, delimiter)).isEqualTo(end - from);

    assertThat(CsvParser.firstRow(in.data(), from, to, delimiter))
        .isEqualTo(CsvParser.firstRow(alone, 0, alone.length, delimiter));
    assertThat(CsvParser.detectDelimiter(in.data(), from, to))
        .isIn((byte) ',', (byte) ';', (byte) '\t')
        .isEqualTo(CsvParser.detectDelimiter(alone, 0, alone.length));
    assertThat(CsvParser.detectDelimiter(in.header())).isIn((byte) ',', (byte) ';', (byte) '\t');
  }

  @Property(tries = 3_000, seed = "3333")
  void aJsonCutIsWithinItsRangeAndEachSideFitsIt(
      @ForAll("inputs") Input in, @ForAll("pathBytes") int maxPathBytes) {
    int from = in.offset();
    int to = in.offset() + in.length();

    JsonParser.Cut cut = JsonParser.lastCut(in.data(), from, to, maxPathBytes);

    byte[] alone = in.range();
    JsonParser.Cut cutAlone = JsonParser.lastCut(alone, 0, alone.length, maxPathBytes);
    if (cut == null) {
      assertThat(cutAlone).isNull();
      return;
    }
    assertThat(cut.separator()).isBetween(from, to - 1);
    assertThat(in.data()[cut.separator()]).isEqualTo((byte) ',');
    assertThat(cut.reopen().length + cut.close().length).isLessThanOrEqualTo(maxPathBytes);
    // The chunk before the cut, closed, and the rest, re-opened, each fit where the range did.
    assertThat(cut.separator() - from + cut.close().length).isLessThanOrEqualTo(to - from);
    assertThat(cut.reopen().length + to - cut.separator() - 1).isLessThanOrEqualTo(to - from);
    assertThat(cutAlone).isNotNull();
    assertThat(cutAlone.separator()).isEqualTo(cut.separator() - from);
    assertThat(cutAlone.reopen()).isEqualTo(cut.reopen());
    assertThat(cutAlone.close()).isEqualTo(cut.close());
  }

  @Property(tries = 500, seed = "4444")
  void sniffingAnyStartTellsAFormat(
      @ForAll("inputs") Input in,
      @ForAll("contentTypes") String contentType,
      @ForAll Format detected) {
    byte[] start = in.data();
    assertThat(Format.sniff(detected, contentType, start, in.offset() + in.length())).isNotNull();
  }

  @Property(tries = 2_000, seed = "5555")
  void aCellIsANumberExactlyWhenItParsesAsOne(@ForAll("inputs") Input in) {
    byte[] b = in.data();
    int from = in.offset();
    int to = from + in.length();

    NumberGrammar.Kind kind = NumberGrammar.classify(b, from, to);

    if (kind == NumberGrammar.Kind.NUMBER || kind == NumberGrammar.Kind.NON_FINITE) {
      double value = NumberGrammar.parse(b, from, to);
      if (kind == NumberGrammar.Kind.NON_FINITE) {
        assertThat(Double.isFinite(value)).isFalse();
      }
    } else {
      assertThatThrownBy(() -> NumberGrammar.parse(b, from, to))
          .isInstanceOf(NumberFormatException.class);
    }
  }

  @Provide
  Arbitrary<Input> inputs() {
    Arbitrary<byte[]> around = HostileBytes.randomBytes(24);
    return HostileBytes.bodies(200)
        .flatMap(
            body ->
                Combinators.combine(around, around, headers(body), Arbitraries.of(true, false))
                    .as(
                        (before, after, header, first) -> {
                          byte[] data = new byte[before.length + body.length + after.length];
                          System.arraycopy(before, 0, data, 0, before.length);
                          System.arraycopy(body, 0, data, before.length, body.length);
                          System.arraycopy(
                              after, 0, data, before.length + body.length, after.length);
                          return new Input(data, before.length, body.length, header, first);
                        }));
  }

  /**
   * None, any string, a header row, or what a JSON chunk carries: the bytes it starts by re-opening
   * (one char per byte), up to the whole body and past it.
   */
  private static Arbitrary<String> headers(byte[] body) {
    return Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            HostileBytes.tokens(12).map(b -> new String(b, StandardCharsets.UTF_8)),
            Arbitraries.integers()
                .between(0, body.length + 2)
                .map(n -> new String(Arrays.copyOf(body, n), StandardCharsets.ISO_8859_1)))
        .injectNull(0.25);
  }

  @Provide
  Arbitrary<Byte> delimiters() {
    return Arbitraries.of((byte) ',', (byte) ';', (byte) '\t');
  }

  @Provide
  Arbitrary<Integer> pathBytes() {
    return Arbitraries.integers().between(0, 64);
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.oneOf(
            Arbitraries.of("", "text/plain", "application/octet-stream; charset=x", "text/csv"),
            Arbitraries.strings().ofMaxLength(30))
        .injectNull(0.1);
  }
}
