package io.fetchstats.ingest;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Decodes a body by its {@code Content-Encoding}: gzip and deflate, the ones fetchstats asks for.
 */
final class ContentDecoding {
  /** What a decoder reads ahead on the wire, at most. */
  static final int BUFFER = 64 * 1024;

  private ContentDecoding() {}

  /** An encoding the body came in that fetchstats did not ask for. */
  static final class UnsupportedEncodingException extends IOException {
    UnsupportedEncodingException(String encoding) {
      super(
          "unsupported Content-Encoding '" + encoding + "' (only gzip and deflate were asked for)");
    }
  }

  /** The decoded body; {@code wire} itself when the body is not encoded. */
  static InputStream decoded(String contentEncoding, Counted wire) throws IOException {
    String encoding =
        contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
    return switch (encoding) {
      case "", "identity" -> wire;
      case "gzip", "x-gzip" -> gzip(wire);
      case "deflate" -> deflate(wire);
      default -> throw new UnsupportedEncodingException(contentEncoding);
    };
  }

  private static InputStream gzip(InputStream wire) throws IOException {
    try {
      return new GZIPInputStream(wire, BUFFER);
    } catch (EOFException e) {
      // An empty or cut header is a broken body, not a transient failure.
      throw new ZipException("the gzip body ends within its header");
    }
  }

  /**
   * RFC 9110's deflate is zlib-wrapped, but some servers send raw deflate: the zlib header (its
   * first two bytes, a multiple of 31 with method 8) tells them apart.
   */
  private static InputStream deflate(InputStream wire) throws IOException {
    PushbackInputStream in = new PushbackInputStream(wire, 2);
    int first = in.read();
    int second = first < 0 ? -1 : in.read();
    if (second >= 0) {
      in.unread(second);
    }
    if (first >= 0) {
      in.unread(first);
    }
    boolean zlib =
        first >= 0 && second >= 0 && (first & 0x0f) == 8 && (first << 8 | second) % 31 == 0;
    Inflater inflater = new Inflater(!zlib);
    return new InflaterInputStream(in, inflater, BUFFER) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          inflater.end(); // a stream given its own Inflater leaves its native memory to GC
        }
      }
    };
  }

  /** Counts the bytes read from the wire, to compare the decoded size with. */
  static final class Counted extends FilterInputStream {
    private long count;

    Counted(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
