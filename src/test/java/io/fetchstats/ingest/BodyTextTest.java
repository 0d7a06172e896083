package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BodyTextTest {
  private static final String TEXT = "name;prix €\ncafé;1,5\n日本;2\n😀;3\n";

  @Test
  void utf8PassesUnchanged() throws Exception {
    byte[] body = TEXT.getBytes(StandardCharsets.UTF_8);

    assertThat(text(null, body, 3)).isEqualTo(body);
    assertThat(text("text/csv; charset=UTF-8", body, 1000)).isEqualTo(body);
    // A byte order mark of UTF-8 stays: the parsers skip it.
    byte[] marked = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, body);
    assertThat(text(null, marked, 2)).isEqualTo(marked);
  }

  @Test
  void aByteOrderMarkDecidesTheCharset() throws Exception {
    byte[] expected = TEXT.getBytes(StandardCharsets.UTF_8);
    for (String charset : List.of("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")) {
      byte[] body = concat(bom(charset), TEXT.getBytes(Charset.forName(charset)));
      for (int piece : new int[] {1, 3, 7, 1 << 16}) {
        // The mark wins over a declared charset.
        assertThat(text("text/csv; charset=ISO-8859-1", body, piece))
            .as("%s in pieces of %d", charset, piece)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void aDeclaredCharsetIsDecoded() throws Exception {
    assertThat(
            text(
                "text/plain; charset=\"windows-1252\"",
                "prix €\n".getBytes(Charset.forName("windows-1252")),
                2))
        .isEqualTo("prix €\n".getBytes(StandardCharsets.UTF_8));
    assertThat(
            text("text/csv;charset=shift_jis", "日本,1\n".getBytes(Charset.forName("Shift_JIS")), 1))
        .isEqualTo("日本,1\n".getBytes(StandardCharsets.UTF_8));
    assertThat(text("text/csv; charset=utf-16", TEXT.getBytes(StandardCharsets.UTF_16BE), 5))
        .isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theCharsetParameterIsReadAsMediaTypesWriteIt() {
    assertThat(BodyText.charsetParameter(null)).isNull();
    assertThat(BodyText.charsetParameter("text/csv")).isNull();
    assertThat(BodyText.charsetParameter("text/csv;charset=utf-16")).isEqualTo("utf-16");
    assertThat(BodyText.charsetParameter("text/csv; header=present; Charset=\"UTF-8\""))
        .isEqualTo("UTF-8");
    assertThat(BodyText.charsetParameter("text/csv; charset=")).isNull();
  }

  @Test
  void anUnknownCharsetIsNamed() {
    assertThatThrownBy(() -> BodyText.of("text/csv; charset=x-nope", (data, offset, length) -> {}))
        .isInstanceOf(BodyText.UnknownCharsetException.class)
        .hasMessage("unknown charset 'x-nope' (Content-Type: text/csv; charset=x-nope)");
  }

  @Test
  void aNulIsNotTextWhereverItIs() {
    byte[] body = "0123456789abcdefghij\0rest".getBytes(StandardCharsets.UTF_8);
    for (int piece : new int[] {1, 4, 8, 9, 100}) {
      assertThatThrownBy(() -> text(null, body, piece))
          .as("pieces of %d", piece)
          .isInstanceOf(BodyText.NotTextException.class)
          .hasMessage("binary body: a NUL byte at offset 20");
    }
    assertThatThrownBy(() -> text(null, "a\0b\0".getBytes(StandardCharsets.UTF_8), 1))
        .hasMessage(
            "binary body: a NUL byte at offset 1 (UTF-16 or UTF-32 text needs a byte order mark"
                + " or a declared charset)");
    byte[] utf16 = concat(bom("UTF-16LE"), "ab\0c".getBytes(StandardCharsets.UTF_16LE));
    assertThatThrownBy(() -> text(null, utf16, 3))
        .isInstanceOf(BodyText.NotTextException.class)
        .hasMessage("binary body: a NUL character (U+0000) at character 2");
  }

  @Test
  void moreThanAQuarterOfInvalidBytesIsNotText() throws Exception {
    // 1 invalid byte in 4: still text (Latin-1 read as UTF-8 has far fewer).
    byte[] quarter = new byte[BodyText.WINDOW];
    Arrays.fill(quarter, (byte) 'a');
    for (int i = 0; i < quarter.length; i += 4) {
      quarter[i] = (byte) 0xE9;
    }
    assertThat(text(null, quarter, 4096)).isEqualTo(quarter);

    byte[] more = quarter.clone();
    more[1] = (byte) 0xE9;
    assertThatThrownBy(() -> text(null, more, 4096))
        .isInstanceOf(BodyText.NotTextException.class)
        .hasMessageStartingWith(
            "binary body: 16385 of its first 65536 bytes are not UTF-8 text (text in another"
                + " charset needs it declared");
  }

  @Test
  void invalidUtf8IsJudgedAsTheJdkJudgesIt() throws Exception {
    // Overlong forms, surrogates, code points past U+10FFFF and cut sequences are invalid.
    byte[][] invalid = {
      {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xF5, (byte) 0x80},
      {(byte) 0x80},
      {(byte) 0xE2, (byte) 0x82}
    };
    for (byte[] sequence : invalid) {
      // Eight times, as a stray byte or two does not make a short body binary.
      byte[] bytes = new byte[sequence.length * 8];
      for (int i = 0; i < 8; i++) {
        System.arraycopy(sequence, 0, bytes, i * sequence.length, sequence.length);
      }
      assertThatThrownBy(() -> text(null, bytes, 1))
          .as(Arrays.toString(sequence))
          .isInstanceOf(BodyText.NotTextException.class);
    }
    byte[] degrees = {'5', (byte) 0xB0, '\n'}; // Latin-1, undeclared
    assertThat(text(null, degrees, 1)).isEqualTo(degrees);
    byte[] valid = "é€𝄞\uFFFF\u007F".getBytes(StandardCharsets.UTF_8);
    assertThat(text(null, valid, 1)).isEqualTo(valid);
  }

  /** Whatever the sizes of the reads, the same body gets the same text or the same verdict. */
  @Property(tries = 300)
  void theVerdictDoesNotDependOnHowTheBodyArrives(
      @ForAll("bodies") byte[] body,
      @ForAll("contentTypes") String contentType,
      @ForAll @IntRange(min = 1, max = 70_000) int piece) {
    assertThat(outcome(contentType, body, piece))
        .isEqualTo(outcome(contentType, body, body.length + 1));
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        null,
        "text/plain",
        "text/csv; charset=utf-16",
        "text/csv; charset=ISO-8859-1",
        "text/csv; charset=Shift_JIS",
        "application/json; charset=utf-8");
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200_000);
    Arbitrary<byte[]> texty =
        Arbitraries.strings()
            .withChars("0123456789,.;\n\t é€日😀")
            .withCharRange('\u0000', '\u00FF')
            .ofMaxLength(40_000)
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> marked =
        Combinators.combine(
                Arbitraries.of("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"),
                Arbitraries.strings().ofMaxLength(20_000))
            .as((charset, s) -> concat(bom(charset), s.getBytes(Charset.forName(charset))));
    return Arbitraries.oneOf(random, texty, marked);
  }

  /** The text, or the exception's class and message. */
  private static String outcome(String contentType, byte[] body, int piece) {
    try {
      return Arrays.toString(text(contentType, body, piece));
    } catch (Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static byte[] text(String contentType, byte[] body, int piece)
      throws BodyText.UnknownCharsetException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BodyText text = BodyText.of(contentType, out::write);
    for (int i = 0; i < body.length; i += piece) {
      text.write(body, i, Math.min(piece, body.length - i));
    }
    text.finish();
    return out.toByteArray();
  }

  private static byte[] bom(String charset) {
    return switch (charset) {
      case "UTF-16LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE};
      case "UTF-16BE" -> new byte[] {(byte) 0xFE, (byte) 0xFF};
      case "UTF-32LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0};
      case "UTF-32BE" -> new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF};
      default -> throw new IllegalArgumentException(charset);
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
