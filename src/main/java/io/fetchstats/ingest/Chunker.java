package io.fetchstats.ingest;

import io.fetchstats.parse.CsvParser;
import io.fetchstats.parse.Format;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a body, as it arrives, into chunks of at most {@code maxChunkBytes} that end at record
 * boundaries: for CSV, row ends as the CSV parser reads them (quotes included); for text, a line
 * end, or else whitespace, a comma or a semicolon. A CSV body's first row is the header every chunk
 * carries. Only one chunk is ever buffered, so a large body never sits whole in memory.
 */
final class Chunker {
  /** Receives each chunk in order. The array is the consumer's to keep. */
  interface Sink {
    void chunk(int seq, Format format, String header, byte[] data);
  }

  /** A record longer than a chunk cannot be split without changing what it means. */
  static final class RecordTooLongException extends RuntimeException {
    RecordTooLongException(Format format, int maxChunkBytes) {
      super(
          (format == Format.CSV ? "a CSV row (or a quoted field left open)" : "a value")
              + " is longer than the chunk size of "
              + maxChunkBytes
              + " bytes");
    }
  }

  private final Format format;
  private final Sink sink;
  private final byte[] buffer;
  private int length;
  private int seq;
  private String header;

  Chunker(Format format, int maxChunkBytes, Sink sink) {
    this.format = format;
    this.sink = sink;
    this.buffer = new byte[maxChunkBytes];
  }

  int chunksEmitted() {
    return seq;
  }

  void write(byte[] data, int offset, int count) {
    while (count > 0) {
      int n = Math.min(count, buffer.length - length);
      System.arraycopy(data, offset, buffer, length, n);
      length += n;
      offset += n;
      count -= n;
      if (length == buffer.length) {
        int cut =
            format == Format.CSV ? CsvParser.lastRowEnd(buffer, 0, length) : lastTextBoundary();
        if (cut == 0) {
          throw new RecordTooLongException(format, buffer.length);
        }
        emit(cut);
      }
    }
  }

  /** Emits what is left; call once, after the last {@link #write}. */
  void finish() {
    if (length > 0) {
      emit(length);
    }
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
    if (format == Format.CSV && seq == 0) {
      String firstRow = CsvParser.firstRow(buffer, 0, cut);
      // A body that is a single row without a line end: that row is the header.
      header =
          firstRow != null ? firstRow : new String(buffer, 0, cut, StandardCharsets.UTF_8).strip();
    }
    byte[] data = Arrays.copyOf(buffer, cut);
    System.arraycopy(buffer, cut, buffer, 0, length - cut);
    length -= cut;
    sink.chunk(seq++, format, header, data);
  }
}
