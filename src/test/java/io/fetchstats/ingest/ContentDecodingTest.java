package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentDecodingTest {
  private static final byte[] BODY =
      "1.5 2.5 3.5\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);

  @Test
  void decodesGzipZlibAndRawDeflate() throws IOException {
    assertThat(decode("gzip", gzip(BODY))).isEqualTo(BODY);
    assertThat(decode("x-gzip", gzip(BODY))).isEqualTo(BODY);
    assertThat(decode("deflate", deflate(BODY, false))).isEqualTo(BODY);
    assertThat(decode("Deflate", deflate(BODY, true))).isEqualTo(BODY);
    assertThat(decode(null, BODY)).isEqualTo(BODY);
    assertThat(decode("identity", BODY)).isEqualTo(BODY);
  }

  @Test
  void countsTheBytesOnTheWire() throws IOException {
    byte[] compressed = gzip(BODY);
    ContentDecoding.Counted wire =
        new ContentDecoding.Counted(new ByteArrayInputStream(compressed));
    try (InputStream in = ContentDecoding.decoded("gzip", wire)) {
      in.readAllBytes();
    }
    assertThat(wire.count()).isEqualTo(compressed.length);
  }

  @Test
  void anEmptyGzipBodyIsBrokenNotCut() {
    assertThatThrownBy(() -> decode("gzip", new byte[0]))
        .isInstanceOf(java.util.zip.ZipException.class);
  }

  @Test
  void refusesAnEncodingNotAskedFor() {
    assertThatThrownBy(() -> decode("br", BODY))
        .isInstanceOf(ContentDecoding.UnsupportedEncodingException.class)
        .hasMessageContaining("'br'");
  }

  private static byte[] decode(String encoding, byte[] data) throws IOException {
    try (InputStream in =
        ContentDecoding.decoded(
            encoding, new ContentDecoding.Counted(new ByteArrayInputStream(data)))) {
      return in.readAllBytes();
    }
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] data, boolean raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate =
        new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
      deflate.write(data);
    }
    return out.toByteArray();
  }
}
