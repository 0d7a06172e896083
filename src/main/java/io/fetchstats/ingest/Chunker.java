package io.fetchstats.ingest;

import io.fetchstats.parse.Format;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a body, as it arrives, into chunks of at most {@code maxChunkBytes} that end at record
 * boundaries: a line end for text and CSV (outside CSV quotes), or else whitespace, a comma or a
 * semicolon for text. A CSV body's first line is kept as the header every chunk carries. Only one
 * chunk is ever buffered, so a large body never sits whole in memory.
 */
final class Chunker {
  /** Receives each chunk in order. The array is the consumer's to keep. */
  interface Sink {
    void chunk(int seq, Format format, String header, byte[] data);
  }

  /** A record longer than a chunk cannot be split without changing what it means. */
  static final class RecordTooLongException extends RuntimeException {
    RecordTooLongException(int maxChunkBytes) {
      super("a record (line or value) is longer than the chunk size of " + maxChunkBytes + " bytes");
    }
  }

  private final Format format;
  private final Sink sink;
  private final byte[] buffer;
  private int length;
  private int seq;
  private String header;
  private boolean headerComplete;
  private final HeaderBytes headerBytes = new HeaderBytes();

  Chunker(Format format, int maxChunkBytes, Sink sink) {
    this.format = format;
    this.sink = sink;
    this.buffer = new byte[maxChunkBytes];
    this.headerComplete = format != Format.CSV;
  }

  int chunksEmitted() {
    return seq;
  }

  void write(byte[] data, int offset, int count) {
    while (count > 0) {
      int n = Math.min(count, buffer.length - length);
      if (!headerComplete) {
        captureHeader(data, offset, n);
      }
      System.arraycopy(data, offset, buffer, length, n);
      length += n;
      offset += n;
      count -= n;
      if (length == buffer.length) {
        emitUpToLastBoundary();
      }
    }
  }

  /** Emits what is left; call once, after the last {@link #write}. */
  void finish() {
    if (length > 0) {
      emit(length);
    }
  }

  private void captureHeader(byte[] data, int offset, int count) {
    for (int i = offset; i < offset + count; i++) {
      if (data[i] == '\n') {
        headerBytes.append(data, offset, i - offset);
        headerComplete = true;
        header = headerBytes.toHeader();
        return;
      }
    }
    headerBytes.append(data, offset, count);
    if (headerBytes.length() > buffer.length) {
      throw new RecordTooLongException(buffer.length);
    }
  }

  private void emitUpToLastBoundary() {
    int cut = format == Format.CSV ? lastCsvRowEnd() : lastTextBoundary();
    if (cut <= 0) {
      throw new RecordTooLongException(buffer.length);
    }
    emit(cut);
  }

  /** Index just past the last newline that is not inside quotes, or 0. */
  private int lastCsvRowEnd() {
    boolean quoted = false;
    int cut = 0;
    for (int i = 0; i < length; i++) {
      byte b = buffer[i];
      if (b == '"') {
        quoted = !quoted;
      } else if (b == '\n' && !quoted) {
        cut = i + 1;
      }
    }
    return cut;
  }

  /** Index just past the last line end, else the last separator between values, or 0. */
  private int lastTextBoundary() {
    int separator = 0;
    for (int i = length - 1; i >= 0; i--) {
      byte b = buffer[i];
      if (b == '\n') {
        return i + 1;
      }
      if (separator == 0 && (b == ' ' || b == '\t' || b == '\r' || b == ',' || b == ';')) {
        separator = i + 1;
      }
    }
    return separator;
  }

  private void emit(int cut) {
    if (!headerComplete) {
      // A CSV body without a line end: its only line is the header.
      header = headerBytes.toHeader();
      headerComplete = true;
    }
    byte[] data = Arrays.copyOf(buffer, cut);
    System.arraycopy(buffer, cut, buffer, 0, length - cut);
    length -= cut;
    sink.chunk(seq++, format, header, data);
  }

  /** Collects the header line's bytes (it may arrive across several writes). */
  private static final class HeaderBytes {
    private byte[] bytes = new byte[256];
    private int length;

    void append(byte[] data, int offset, int count) {
      if (length + count > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
      }
      System.arraycopy(data, offset, bytes, length, count);
      length += count;
    }

    int length() {
      return length;
    }

    String toHeader() {
      int end = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
      return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
  }
}
