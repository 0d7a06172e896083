package io.fetchstats.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTest {

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aSmallBodyDecodesToItself(Encoding encoding) throws IOException {
    Body content = Body.of("1 2 3\n4 5 6\n".getBytes(StandardCharsets.US_ASCII));

    byte[] decoded = decode(encoding, Compression.compress(content, encoding).toByteArray());

    assertThat(decoded).isEqualTo(content.toByteArray());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void anEmptyBodyDecodesToNothing(Encoding encoding) throws IOException {
    byte[] compressed = Compression.compress(Body.of(new byte[0]), encoding).toByteArray();

    assertThat(decode(encoding, compressed)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aBodyOfARepeatedBlockDecodesToItselfAndStaysARepeatedBlock(Encoding encoding)
      throws IOException {
    // Random bytes do not compress, so the repeated part of the result is as big as the block.
    byte[] block = new byte[40_000];
    new SplittableRandom(1).nextBytes(block);
    Body content = new Body(ascii("head\n"), block, 5 * 40_000 + 123, ascii("tail\n"));

    Body compressed = Compression.compress(content, encoding);

    assertThat(compressed.cycled()).isEqualTo(4L * compressed.block().length);
    assertThat(decode(encoding, compressed.toByteArray())).isEqualTo(content.toByteArray());
  }

  @Test
  void sixtyFourMebibytesOfGeneratedDataCompressWithLittleMemoryAndDecodeToThemselves()
      throws IOException {
    Body content = GeneratedBody.of(GeneratedBody.Kind.CSV, 2).body(64L * 1024 * 1024);

    Body compressed = Compression.compress(content, Encoding.GZIP);

    assertThat(compressed.head().length + compressed.block().length + compressed.tail().length)
        .isLessThan(1024 * 1024);
    try (InputStream decoded =
        new GZIPInputStream(new ByteArrayInputStream(compressed.toByteArray()))) {
      assertThat(digest(decoded)).isEqualTo(digest(content));
    }
  }

  @Test
  void aGzipBombInflatesAThousandfoldToLinesOfZeros() throws IOException {
    long inflated = 16L * 1024 * 1024 + 3;

    byte[] bomb = Compression.gzipBomb(inflated).toByteArray();

    assertThat(bomb.length).isLessThan((int) (inflated / 900));
    byte[] lines = new byte[(int) inflated];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = (byte) "0 0\n".charAt(i % 4);
    }
    assertThat(Arrays.mismatch(decode(Encoding.GZIP, bomb), lines)).isEqualTo(-1);
  }

  @Test
  void badGzipHasTheMagicButNotTheData() {
    byte[] bad = Compression.badGzip().toByteArray();

    assertThat(bad).startsWith(0x1f, 0x8b);
    assertThatThrownBy(() -> decode(Encoding.GZIP, bad)).isInstanceOf(ZipException.class);
  }

  private static byte[] decode(Encoding encoding, byte[] compressed) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(compressed);
    try (InputStream decoded =
        encoding == Encoding.GZIP ? new GZIPInputStream(in) : new InflaterInputStream(in)) {
      return decoded.readAllBytes();
    }
  }

  private static byte[] digest(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    for (int read; (read = in.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, read);
    }
    return digest.digest();
  }

  private static byte[] digest(Body body) throws IOException {
    MessageDigest digest = sha256();
    body.write(new DigestOutputStream(OutputStream.nullOutputStream(), digest), 0, body.length());
    return digest.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
