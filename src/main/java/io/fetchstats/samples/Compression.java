package io.fetchstats.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Checksum;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * gzip and zlib bodies made from bodies of a repeated block, in time and memory that grow with the
 * block, not the body (apart from the checksum, which reads every byte).
 */
final class Compression {
  private static final int WINDOW = 32 * 1024;
  private static final int BOMB_BLOCK = 1024 * 1024;

  private Compression() {}

  /** {@code content} encoded with {@code encoding}. */
  static Body compress(Body content, Encoding encoding) {
    Checksum checksum = encoding == Encoding.GZIP ? new CRC32() : new Adler32();
    try {
      content.write(
          new CheckedOutputStream(OutputStream.nullOutputStream(), checksum), 0, content.length());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the null stream does not throw
    }
    byte[] header = header(encoding);
    byte[] trailer = trailer(encoding, checksum.getValue(), content.length());
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      byte[] block = content.block();
      long repeats = block.length >= WINDOW ? content.cycled() / block.length : 0;
      if (repeats == 0) {
        return Body.of(concat(header, deflateAll(content, deflater), trailer));
      }
      // Each repetition is flushed to a byte boundary. From the second one on, every repetition
      // starts with the same 32 KiB window (the end of the block), so the second one's compressed
      // bytes decode to the block wherever they are repeated, and so does the end after any.
      byte[] first = deflate(deflater, false, content.head(), block);
      byte[] repeated = deflate(deflater, false, block);
      byte[] rest = Arrays.copyOf(block, (int) (content.cycled() % block.length));
      byte[] end = deflate(deflater, true, rest, content.tail());
      return new Body(
          concat(header, first), repeated, (repeats - 1) * repeated.length, concat(end, trailer));
    } finally {
      deflater.end();
    }
  }

  /**
   * gzip of {@code inflated} bytes of lines {@code "0 0"}: about a thousandth of the size, as every
   * 258 bytes (the longest match) take two bits or so when the period is at most 4 (the longest
   * distance coded without extra bits).
   */
  static Body gzipBomb(long inflated) {
    byte[] line = "0 0\n".getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[BOMB_BLOCK];
    for (int at = 0; at < block.length; at += line.length) {
      System.arraycopy(line, 0, block, at, line.length);
    }
    return compress(new Body(new byte[0], block, inflated, new byte[0]), Encoding.GZIP);
  }

  /** A gzip header then bytes that are not deflate data (the first says: a reserved block type). */
  static Body badGzip() {
    byte[] garbage = new byte[32];
    Arrays.fill(garbage, (byte) 0xff);
    return Body.of(concat(header(Encoding.GZIP), garbage));
  }

  private static byte[] header(Encoding encoding) {
    return switch (encoding) {
      // Magic, deflate, no flags, no time, no extra flags, unknown OS.
      case GZIP -> new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
      // Deflate with a 32 KiB window, default level, check bits.
      case DEFLATE -> new byte[] {0x78, (byte) 0x9c};
    };
  }

  private static byte[] trailer(Encoding encoding, long checksum, long length) {
    return switch (encoding) {
      case GZIP -> // CRC-32 and the length modulo 2^32, little-endian.
          new byte[] {
            (byte) checksum,
            (byte) (checksum >>> 8),
            (byte) (checksum >>> 16),
            (byte) (checksum >>> 24),
            (byte) length,
            (byte) (length >>> 8),
            (byte) (length >>> 16),
            (byte) (length >>> 24)
          };
      case DEFLATE -> // Adler-32, big-endian.
          new byte[] {
            (byte) (checksum >>> 24),
            (byte) (checksum >>> 16),
            (byte) (checksum >>> 8),
            (byte) checksum
          };
    };
  }

  private static byte[] deflateAll(Body content, Deflater deflater) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflating = new DeflaterOutputStream(out, deflater, 64 * 1024)) {
      content.write(deflating, 0, content.length());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writes to memory do not throw
    }
    return out.toByteArray();
  }

  /** Deflates {@code parts}, then finishes the stream or flushes it to a byte boundary. */
  private static byte[] deflate(Deflater deflater, boolean finish, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    for (byte[] part : parts) {
      deflater.setInput(part);
      while (!deflater.needsInput()) {
        out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
      }
    }
    if (finish) {
      deflater.finish();
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
    } else {
      int written;
      do { // a full buffer may mean more output is pending
        written = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        out.write(buffer, 0, written);
      } while (written == buffer.length);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
