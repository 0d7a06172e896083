package io.fetchstats.parse;

import java.util.Objects;

/**
 * Plain text: every token is a cell of the single field {@value #FIELD}. Tokens are separated by
 * ASCII space, tab, CR, LF, comma and semicolon; empty tokens are skipped (not missing), so text
 * never reports missing cells.
 */
public final class TextParser {

  public static final String FIELD = "value";

  private static final byte TOKEN = 0;
  private static final byte SEPARATOR = 1;
  private static final byte NEWLINE = 2;

  /** Byte class by unsigned byte value; a table keeps the inner loop to one load and compare. */
  private static final byte[] CLASS = new byte[256];

  static {
    CLASS[' '] = SEPARATOR;
    CLASS['\t'] = SEPARATOR;
    CLASS['\r'] = SEPARATOR;
    CLASS[','] = SEPARATOR;
    CLASS[';'] = SEPARATOR;
    CLASS['\n'] = NEWLINE;
  }

  private TextParser() {}

  private static boolean firstLineHasToken(byte[] b, int p, int end) {
    while (p < end && CLASS[b[p] & 0xFF] == SEPARATOR) {
      p++;
    }
    return p < end && CLASS[b[p] & 0xFF] == TOKEN;
  }

  /**
   * Parses the body {@code data[offset, offset + length)}. {@code rows} counts lines holding at
   * least one token. A UTF-8 BOM at the start of the body is skipped.
   */
  public static ParseReport parse(byte[] data, int offset, int length, CellSink sink) {
    return parse(data, offset, length, true, false, sink);
  }

  /**
   * Parses a chunk of a body, which starts the body if {@code firstChunk} (only there is a BOM
   * skipped: elsewhere its bytes are part of a token, as they are in the whole body). If {@code
   * continuesLine}, the chunk starts in the middle of a line begun in the chunk before (a line
   * longer than a chunk is cut between values): that line's row was counted there, so the chunks'
   * rows add up to the body's.
   */
  public static ParseReport parse(
      byte[] data,
      int offset,
      int length,
      boolean firstChunk,
      boolean continuesLine,
      CellSink sink) {
    Objects.checkFromIndexSize(offset, length, data.length);
    Objects.requireNonNull(sink, "sink");
    final byte[] b = data;
    final byte[] cls = CLASS;
    final int end = offset + length;
    final int field = sink.field(FIELD);
    final int from = firstChunk ? Bytes.skipBom(b, offset, end) : offset;
    int p = from;
    long rows = 0;
    boolean lineHasToken = false;
    while (p < end) {
      byte k = cls[b[p] & 0xFF];
      if (k != TOKEN) {
        if (k == NEWLINE && lineHasToken) {
          rows++;
          lineHasToken = false;
        }
        p++;
        continue;
      }
      int numberEnd = NumberGrammar.emitShortDecimal(b, p, end, cls, field, sink);
      if (numberEnd >= 0) {
        p = numberEnd;
      } else {
        int start = p++;
        while (p < end && cls[b[p] & 0xFF] == TOKEN) {
          p++;
        }
        NumberGrammar.emitToken(b, start, p, field, sink);
      }
      lineHasToken = true;
    }
    if (lineHasToken) {
      rows++;
    }
    // From where the rows were counted, so a row is only taken back if it was counted.
    if (continuesLine && firstLineHasToken(b, from, end)) {
      rows--;
    }
    return new ParseReport(rows, 0);
  }
}
