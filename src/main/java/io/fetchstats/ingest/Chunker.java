package io.fetchstats.ingest;

import io.fetchstats.parse.Bytes;
import io.fetchstats.parse.CsvParser;
import io.fetchstats.parse.Format;
import io.fetchstats.parse.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a body, as it arrives, into chunks of at most {@code maxChunkBytes} that end at record
 * boundaries, so that each chunk parses alone to its share of the body's cells:
 *
 * <ul>
 *   <li>CSV and TSV: row ends as the CSV parser reads them (quotes included). The body's first row
 *       is the header every chunk carries; blank lines before it, which a chunk would otherwise
 *       hold without the header, are dropped.
 *   <li>Text: a line end, or else whitespace, a comma or a semicolon.
 *   <li>NDJSON: a line end.
 *   <li>JSON: a comma between two values of an array or members of an object, at any depth, and
 *       every chunk is a valid document again: the containers open at the comma are closed at the
 *       end of one chunk and re-opened, with the keys that lead to them, at the start of the next (
 *       <code>{"data":[1,2</code> | <code>3]}</code> becomes <code>{"data":[1,2]}</code> and <code>
 *       {"data":[3]}</code>), which carries what it re-opened as its header. Only a single scalar
 *       longer than a chunk cannot be split; JSON broken before any place to cut it is refused as
 *       such, where it broke.
 * </ul>
 *
 * A chunk is cut only when the next bytes would not fit, so a body of at most one chunk stays
 * whole. Only one chunk is ever buffered, so a large body never sits whole in memory.
 */
final class Chunker {
  /** Receives each chunk in order. The array is the consumer's to keep. */
  interface Sink {
    void chunk(int seq, Format format, String header, byte[] data);
  }

  /** A record longer than a chunk cannot be split without changing what it means. */
  static final class RecordTooLongException extends RuntimeException {
    RecordTooLongException(String record, int maxChunkBytes) {
      super(record + " is longer than the chunk size of " + maxChunkBytes + " bytes");
    }
  }

  /**
   * A body broken before any place to cut it (JSON), which no chunk could hold: the message is the
   * parser's, at the byte of the body where it broke.
   */
  static final class MalformedException extends RuntimeException {
    MalformedException(String message) {
      super(message);
    }
  }

  /** A JSON path re-opened at a cut may take up to this share of a chunk (as 1/n). */
  static final int MAX_PATH_SHARE = 4;

  /** A text chunk's header when it continues a line longer than a chunk (see TextParser). */
  static final String CONTINUED_LINE = "";

  /** Most bodies are small: the buffer starts at this and grows to the chunk size as needed. */
  private static final int INITIAL_BUFFER = 8 * 1024;

  private final Format format;
  private final Sink sink;
  private final int maxChunkBytes;
  private byte[] buffer;
  private int length;
  private int seq;

  /**
   * CSV/TSV: the body's header row; JSON: the containers the buffer starts by re-opening; text:
   * {@link #CONTINUED_LINE} when the buffer starts in the middle of a line.
   */
  private String header;

  private byte delimiter; // 0 until found

  /** JSON: where in the body the bytes after the buffer's re-opened containers start. */
  private long bodyOffset;

  Chunker(Format format, int maxChunkBytes, Sink sink) {
    this.format = format;
    this.sink = sink;
    this.maxChunkBytes = maxChunkBytes;
    this.buffer = new byte[Math.min(INITIAL_BUFFER, maxChunkBytes)];
  }

  void write(byte[] data, int offset, int count) {
    while (count > 0) {
      if (length == buffer.length) {
        if (buffer.length < maxChunkBytes) {
          buffer = Arrays.copyOf(buffer, (int) Math.min(2L * buffer.length, maxChunkBytes));
        } else {
          cut();
        }
      }
      int n = Math.min(count, buffer.length - length);
      System.arraycopy(data, offset, buffer, length, n);
      length += n;
      offset += n;
      count -= n;
    }
  }

  /** Emits what is left; call once, after the last {@link #write}. */
  void finish() {
    if (length > 0) {
      emit(length);
    }
  }

  /** Emits the buffer's records, up to the last boundary, to make room. */
  private void cut() {
    switch (format) {
      case CSV, TSV -> {
        int end =
            boundary(
                CsvParser.lastRowEnd(buffer, 0, length, delimiter()),
                "a CSV row (or a quoted field left open)");
        if (seq == 0 && CsvParser.firstRow(buffer, 0, end, delimiter()) == null) {
          dropBlankLines(end);
        } else {
          emit(end);
        }
      }
      case TEXT -> emit(boundary(lastTextBoundary(false), "a value"));
      case NDJSON -> emit(boundary(lastTextBoundary(true), "an NDJSON line"));
      case JSON -> {
        // Every chunk carries its path twice (header and data), and the brackets that close it:
        // a path of at most a quarter of a chunk keeps both small.
        JsonParser.Cut cut = JsonParser.lastCut(buffer, 0, length, maxChunkBytes / MAX_PATH_SHARE);
        if (cut == null) {
          throw uncut();
        }
        emitJson(cut);
      }
    }
  }

  /**
   * Why a full JSON buffer has no place to cut: JSON broken within it, as the processor's parser
   * would find it, or else a value too long to split.
   */
  private RuntimeException uncut() {
    JsonParser.Break broken = JsonParser.breakWithin(buffer, 0, length);
    if (broken == null) {
      return new RecordTooLongException(
          "a JSON value (documents are split between the values of arrays and objects whose"
              + " path takes at most a quarter of a chunk)",
          maxChunkBytes);
    }
    // A break in the re-opened keys, broken in the chunk that held them already, is placed at the
    // first byte after them: they are not where they were in the body.
    long at = bodyOffset + Math.max(0, broken.offset() - reopened());
    return new MalformedException(new JsonParser.Break(at, broken.reason()).message());
  }

  /** JSON: how many bytes the buffer starts by re-opening. */
  private int reopened() {
    return header == null ? 0 : header.length();
  }

  /**
   * Drops the blank lines (and byte order mark) before a delimited body's header row, which hold no
   * cells: chunk 0 must hold that row, the header every chunk carries, and the delimiter is told
   * from it once it is in the buffer.
   */
  private void dropBlankLines(int end) {
    // Keeps their last byte: a byte order mark after them is not the body's, and chunk 0 must not
    // start with it (the parser would skip it, where the whole body's first cell holds it).
    int drop = boundary(end - 1, "a CSV row");
    System.arraycopy(buffer, drop, buffer, 0, length - drop);
    length -= drop;
    delimiter = 0;
  }

  private int boundary(int cut, String record) {
    if (cut == 0) {
      throw new RecordTooLongException(record, maxChunkBytes);
    }
    return cut;
  }

  /**
   * Index just past the last line end, else (unless lines only) the last separator between values,
   * or 0.
   */
  private int lastTextBoundary(boolean linesOnly) {
    int separator = 0;
    for (int i = length - 1; i >= 0; i--) {
      byte b = buffer[i];
      if (b == '\n') {
        return i + 1;
      }
      if (separator == 0
          && !linesOnly
          && (b == ' ' || b == '\t' || b == '\r' || b == ',' || b == ';')) {
        separator = i + 1;
      }
    }
    return separator;
  }

  /**
   * The delimiter of a CSV or TSV body, found on its first line while the buffer still holds it;
   * the processor finds the same one on the header row every chunk carries.
   */
  private byte delimiter() {
    if (delimiter == 0) {
      delimiter = format == Format.TSV ? (byte) '\t' : CsvParser.detectDelimiter(buffer, 0, length);
    }
    return delimiter;
  }

  private void emit(int cut) {
    if (format.isDelimited() && seq == 0) {
      String firstRow = CsvParser.firstRow(buffer, 0, cut, delimiter());
      // A body that is a single row without a line end: that row is the header.
      header =
          firstRow != null ? firstRow : new String(buffer, 0, cut, StandardCharsets.UTF_8).strip();
    }
    byte[] data = Arrays.copyOf(buffer, cut);
    System.arraycopy(buffer, cut, buffer, 0, length - cut);
    length -= cut;
    String chunkHeader = header;
    if (format == Format.TEXT) {
      header = lineCounted(data) ? CONTINUED_LINE : null;
    }
    sink.chunk(seq++, format, chunkHeader, data);
  }

  /**
   * Text: whether {@code data}, the chunk being emitted, ends inside a line whose row was counted
   * already, because a token of it came before the cut (in this chunk, or in one before if the line
   * began there): the next chunk, continuing that line, must not count it again. A line cut after
   * separators alone was not counted, and is not continued.
   */
  private boolean lineCounted(byte[] data) {
    int start = data.length;
    while (start > 0 && data[start - 1] != '\n') {
      start--;
    }
    if (start == data.length) {
      return false; // the chunk ends with its line
    }
    if (start == 0 && CONTINUED_LINE.equals(header)) {
      return true;
    }
    if (start == 0 && seq == 0) {
      start = Bytes.skipBom(data, 0, data.length); // skipped by the parser, not a token
    }
    for (int i = start; i < data.length; i++) {
      byte b = data[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != ',' && b != ';') {
        return true;
      }
    }
    return false;
  }

  /**
   * Emits the values before the cut, closed, and re-opens the containers before the rest. The
   * re-opened bytes are fewer than those before the comma (they are among them), so the rest fits.
   */
  private void emitJson(JsonParser.Cut cut) {
    int separator = cut.separator();
    byte[] data = Arrays.copyOf(buffer, separator + cut.close().length);
    System.arraycopy(cut.close(), 0, data, separator, cut.close().length);
    int rest = length - separator - 1;
    System.arraycopy(buffer, separator + 1, buffer, cut.reopen().length, rest);
    System.arraycopy(cut.reopen(), 0, buffer, 0, cut.reopen().length);
    length = cut.reopen().length + rest;
    bodyOffset += separator + 1 - reopened();
    String reopened = header;
    // One char per byte, so that the parser learns their exact number whatever the bytes are.
    header = new String(cut.reopen(), StandardCharsets.ISO_8859_1);
    sink.chunk(seq++, format, reopened, data);
  }
}
