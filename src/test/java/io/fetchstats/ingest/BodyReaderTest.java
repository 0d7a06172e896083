package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchstats.domain.FailureClass;
import io.fetchstats.parse.Format;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyReaderTest {
  private static final byte[] LINES = "1 2\n3 4\n5 6\n".getBytes(StandardCharsets.UTF_8);

  private final BodyReader reader = new BodyReader(8, 1 << 22, 100);
  private final List<String> chunks = new ArrayList<>();
  private final Chunker.Sink sink =
      (seq, format, header, data) -> chunks.add(new String(data, StandardCharsets.UTF_8));

  @Test
  void aBodyIsHashedCountedAndChunked() throws Exception {
    FetchResult result = read(LINES, LINES.length, null);

    assertThat(result.ok()).isTrue();
    assertThat(result.bytes()).isEqualTo(LINES.length);
    assertThat(result.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(LINES)));
    assertThat(String.join("", chunks)).isEqualTo("1 2\n3 4\n5 6\n");
    assertThat(result.chunks()).isEqualTo(chunks.size()).isGreaterThan(1);
  }

  @Test
  void aGzipBodyIsDecoded() throws Exception {
    FetchResult result = read(gzip(LINES), -1, "gzip");

    assertThat(result.ok()).isTrue();
    assertThat(result.bytes()).isEqualTo(LINES.length);
    assertThat(String.join("", chunks)).isEqualTo("1 2\n3 4\n5 6\n");
  }

  @Test
  void aBodyDeclaredTooLargeIsNotRead() throws Exception {
    FetchResult result = read(LINES, 1L << 30, null);

    assertThat(result.failure()).isEqualTo(FailureClass.TOO_LARGE);
    assertThat(result.error()).contains("exceeds the limit");
    assertThat(chunks).isEmpty();
  }

  @Test
  void aDecompressionBombIsNamedAsOne() throws Exception {
    FetchResult result = read(gzip(new byte[3 << 20]), -1, "gzip");

    assertThat(result.failure()).isEqualTo(FailureClass.TOO_LARGE);
    assertThat(result.error()).contains("a decompression bomb?");
  }

  @Test
  void binaryBytesAreNotText() throws Exception {
    FetchResult result = read(new byte[] {'1', 0, '2', '\n'}, 4, null);

    assertThat(result.failure()).isEqualTo(FailureClass.NOT_TEXT);
  }

  @Test
  void anUnsupportedEncodingOrCharsetFailsTheBody() throws Exception {
    assertThat(read(LINES, -1, "br").failure()).isEqualTo(FailureClass.DECODE_ERROR);

    FetchAttempt attempt = new FetchAttempt(System.nanoTime(), null);
    attempt.contentType = "text/plain; charset=x-nope";
    FetchResult result = reader.read(new ByteArrayInputStream(LINES), -1, null, attempt, sink);
    assertThat(result.failure()).isEqualTo(FailureClass.DECODE_ERROR);
  }

  @Test
  void aSinkThatCannotPublishIsKafkasTroubleNotTheUrls() {
    Chunker.Sink failing =
        (seq, format, header, data) -> {
          throw new IllegalStateException("Kafka trouble");
        };

    assertThatThrownBy(
            () ->
                reader.read(
                    new ByteArrayInputStream(LINES),
                    -1,
                    null,
                    new FetchAttempt(System.nanoTime(), Format.TEXT),
                    failing))
        .isInstanceOf(PublishException.class);
  }

  private FetchResult read(byte[] body, long declared, String encoding) throws IOException {
    return reader.read(
        new ByteArrayInputStream(body),
        declared,
        encoding,
        new FetchAttempt(System.nanoTime(), Format.TEXT),
        sink);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }
}
