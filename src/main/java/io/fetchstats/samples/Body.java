package io.fetchstats.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Response bytes: {@code head}, then the first {@code cycled} bytes of {@code block} repeated
 * endlessly, then {@code tail}. A gigabyte of generated data costs one block of memory. The arrays
 * are shared, never modified.
 */
record Body(byte[] head, byte[] block, long cycled, byte[] tail) {
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  Body {
    if (cycled < 0 || (cycled > 0 && block.length == 0)) {
      throw new IllegalArgumentException("cannot cycle " + cycled + " bytes of a block");
    }
  }

  static Body of(byte[] bytes) {
    return new Body(bytes, new byte[0], 0, new byte[0]);
  }

  long length() {
    return head.length + cycled + tail.length;
  }

  /** Writes the bytes from offset {@code from} (inclusive) to {@code to} (exclusive). */
  void write(OutputStream out, long from, long to) throws IOException {
    long at = writePart(out, head, 0, from, to);
    long start = Math.max(from, at);
    long end = Math.min(to, at + cycled);
    for (long position = start; position < end; ) {
      int offset = (int) ((position - at) % block.length);
      int count = (int) Math.min(block.length - offset, end - position);
      out.write(block, offset, count);
      position += count;
    }
    writePart(out, tail, at + cycled, from, to);
  }

  /** Writes what {@code bytes}, found at {@code at} in the body, has between from and to. */
  private static long writePart(OutputStream out, byte[] bytes, long at, long from, long to)
      throws IOException {
    long start = Math.max(from, at);
    long end = Math.min(to, at + bytes.length);
    if (start < end) {
      out.write(bytes, (int) (start - at), (int) (end - start));
    }
    return at + bytes.length;
  }

  byte[] toByteArray() {
    if (length() > MAX_ARRAY) {
      throw new IllegalStateException(length() + " bytes do not fit in an array");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) length());
    try {
      write(out, 0, length());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }
}
