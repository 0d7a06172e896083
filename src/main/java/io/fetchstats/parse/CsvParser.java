package io.fetchstats.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * RFC 4180 CSV (and TSV) with a comma, semicolon or tab delimiter, parsed leniently: it never
 * throws on bad input.
 *
 * <ul>
 *   <li>Rows end at LF; a CR right before the LF (or at the end of the range) is dropped. Lines
 *       holding only spaces/tabs are blank and skipped.
 *   <li>A cell is quoted if its first non-blank byte is {@code "}. Inside quotes, commas, LFs and
 *       {@code ""} are content. A quote elsewhere in a cell is an ordinary byte.
 *   <li>Cells are trimmed of spaces/tabs, inside quotes too, so {@code " 12.5 "} is 12.5. An empty
 *       cell, quoted or not, is missing.
 *   <li>Bytes after a closing quote other than blanks make the whole raw cell (quote included) the
 *       content, hence non-numeric. A quote that is not closed within {@link #MAX_QUOTED_BYTES}
 *       (nor before the end of the body) is an ordinary byte, so one stray quote cannot swallow the
 *       rest of a body; the limit is a number of bytes, not the end of a chunk, so the result does
 *       not depend on where the chunks are cut.
 * </ul>
 */
public final class CsvParser {
  /** The longest quoted field; a quote not closed within it is an ordinary byte. */
  public static final int MAX_QUOTED_BYTES = 64 * 1024;

  private CsvParser() {}

  /**
   * Parses {@code data[offset, offset + length)}, one chunk of a CSV body.
   *
   * @param headerLine the first line of the body (without terminator) given with every chunk, or
   *     null to take the first non-blank row of this chunk. A blank header line counts as null.
   * @param firstChunk whether this chunk starts the body, with the header line (chunk 0): a byte
   *     order mark is skipped, and if the header line is a real header, this chunk's first
   *     non-blank row is skipped. If the header line is all numbers it is data, so nothing is
   *     skipped.
   */
  public static ParseReport parse(
      byte[] data,
      int offset,
      int length,
      String headerLine,
      boolean firstChunk,
      byte delimiter,
      CellSink sink) {
    Objects.checkFromIndexSize(offset, length, data.length);
    Objects.requireNonNull(sink, "sink");
    // Only the body starts with a byte order mark: elsewhere its bytes are a cell's, as they are
    // in the whole body.
    int start = firstChunk ? Bytes.skipBom(data, offset, offset + length) : offset;
    Scanner sc = new Scanner(data, start, offset + length, delimiter);

    String header = headerLine;
    if (header != null && !header.isEmpty() && header.charAt(0) == '\uFEFF') {
      header = header.substring(1);
    }
    if (header != null && header.isBlank()) {
      header = null;
    }

    Header h;
    if (header != null) {
      byte[] hb = header.getBytes(StandardCharsets.UTF_8);
      h = Header.read(new Scanner(hb, 0, hb.length, delimiter));
      if (firstChunk && h.named && sc.skipBlankLines()) {
        sc.skipRow();
      }
    } else {
      if (!sc.skipBlankLines()) {
        return new ParseReport(0, 0);
      }
      int mark = sc.pos;
      h = Header.read(sc);
      if (!h.named) {
        sc.pos = mark; // the first row is data
      }
    }

    final int n = h.names.size();
    final int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = sink.field(h.names.get(i));
    }

    final byte[] b = data;
    // Where a number can end a cell without the scanner's help (see below).
    final byte[] cellEnds = new byte[256];
    cellEnds[delimiter & 0xFF] = 1;
    cellEnds['\n'] = 1;
    long rows = 0;
    long ragged = 0;
    while (sc.skipBlankLines()) {
      int col = 0;
      boolean more;
      do {
        if (col < n) {
          // Most numeric cells are a short decimal right before the delimiter or line feed.
          int e = NumberGrammar.emitShortDecimal(b, sc.pos, sc.end, cellEnds, idx[col], sink);
          if (e >= 0) {
            more = b[e] == delimiter;
            sc.pos = e + 1;
            col++;
            continue;
          }
        }
        more = sc.nextCell();
        if (col < n) {
          NumberGrammar.emitCell(b, sc.cellStart, sc.cellEnd, idx[col], sink);
        }
        col++;
      } while (more);
      if (col > n) {
        ragged++;
      }
      for (; col < n; col++) {
        sink.missing(idx[col]);
      }
      rows++;
    }
    return new ParseReport(rows, ragged);
  }

  /**
   * Where the chunks of a CSV body may be cut: just past the last row in {@code [from, to)} that
   * ends with a line feed, read with the same quoting rules as {@link #parse}, and the blank space
   * after it, or {@code from} if there is none. A row with a quote still open at {@code to} is
   * incomplete (more bytes may close it), so chunking never changes how a body is parsed.
   */
  public static int lastRowEnd(byte[] data, int from, int to, byte delimiter) {
    Objects.checkFromToIndex(from, to, data.length);
    // Without a quote every line feed ends a row: only the rows after the last one need reading,
    // which spares the chunker a cell-by-cell pass over most bodies.
    int lastLineFeed = lastIndexOf(data, from, to, (byte) '\n');
    if (lastLineFeed >= 0 && indexOf(data, from, lastLineFeed, (byte) '"') < 0) {
      from = lastLineFeed + 1;
    }
    Scanner sc = new Scanner(data, from, to, delimiter);
    int lastEnd = from;
    while (sc.skipBlankLines()) {
      if (!sc.skipCompleteRow()) {
        return lastEnd;
      }
      lastEnd = sc.pos;
    }
    // Blank space after the last row is a blank line whatever follows, but a CR ending the range is
    // a line end only if a line feed follows: else it starts the next row's first cell.
    return to > lastEnd && data[to - 1] == '\r' ? to - 1 : Math.max(lastEnd, sc.pos);
  }

  private static int lastIndexOf(byte[] data, int from, int to, byte b) {
    for (int i = to - 1; i >= from; i--) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] data, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The first non-blank row of {@code [from, to)} without its line end: the header line that every
   * chunk of a CSV body carries. Null if the range holds no complete row.
   */
  public static String firstRow(byte[] data, int from, int to, byte delimiter) {
    Scanner sc = new Scanner(data, Bytes.skipBom(data, from, to), to, delimiter);
    if (!sc.skipBlankLines()) {
      return null;
    }
    int start = sc.pos;
    if (!sc.skipCompleteRow()) {
      return null;
    }
    int end = sc.pos - 1;
    if (end > start && data[end - 1] == '\r') {
      end--;
    }
    return new String(data, start, end - start, StandardCharsets.UTF_8);
  }

  /**
   * The delimiter of a CSV body, told from its first non-blank line: the most frequent of comma,
   * semicolon and tab outside quotes, a comma if none is (or on a tie with a comma). The chunker
   * and the parser both ask this of the same line, so they agree on every chunk.
   */
  public static byte detectDelimiter(byte[] data, int from, int to) {
    // Past blank lines and leading blanks, as the header row the chunker attaches leaves them out.
    int p = Bytes.skipJsonWhitespace(data, Bytes.skipBom(data, from, to), to);
    int commas = 0;
    int semicolons = 0;
    int tabs = 0;
    boolean quoted = false;
    for (; p < to && data[p] != '\n'; p++) {
      byte c = data[p];
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        commas += c == ',' ? 1 : 0;
        semicolons += c == ';' ? 1 : 0;
        tabs += c == '\t' ? 1 : 0;
      }
    }
    if (semicolons > commas && semicolons >= tabs) {
      return ';';
    }
    return tabs > commas ? (byte) '\t' : (byte) ',';
  }

  /** {@link #detectDelimiter(byte[], int, int)} of a header line. */
  public static byte detectDelimiter(String headerLine) {
    if (headerLine == null) {
      return ',';
    }
    byte[] line = headerLine.getBytes(StandardCharsets.UTF_8);
    return detectDelimiter(line, 0, line.length);
  }

  /** The field names of a header row, or col1..colN if that row is data. */
  private static final class Header {
    final List<String> names;
    final boolean named;

    private Header(List<String> names, boolean named) {
      this.names = names;
      this.named = named;
    }

    static Header read(Scanner sc) {
      List<String> raw = new ArrayList<>();
      // Data if no cell is non-numeric and one at least is numeric: a first data row may have a
      // missing value, while an all-empty row carries no evidence either way.
      boolean anyNumeric = false;
      boolean anyText = false;
      boolean more;
      do {
        more = sc.nextCell();
        int s = NumberGrammar.trimStart(sc.buf, sc.cellStart, sc.cellEnd);
        int e = NumberGrammar.trimEnd(sc.buf, s, sc.cellEnd);
        switch (NumberGrammar.classify(sc.buf, s, e)) {
          case NUMBER:
          case NON_FINITE:
            anyNumeric = true;
            break;
          case NON_NUMERIC:
            anyText = true;
            break;
          default:
            break;
        }
        String name = new String(sc.buf, s, e - s, StandardCharsets.UTF_8);
        raw.add(sc.cellEscaped ? name.replace("\"\"", "\"") : name);
      } while (more);

      boolean named = anyText || !anyNumeric;
      List<String> names = new ArrayList<>(raw.size());
      Set<String> used = new HashSet<>();
      for (int i = 0; i < raw.size(); i++) {
        String base = named && !raw.get(i).isEmpty() ? raw.get(i) : "col" + (i + 1);
        String name = base;
        for (int k = 2; !used.add(name); k++) {
          name = base + "_" + k;
        }
        names.add(name);
      }
      return new Header(names, named);
    }
  }

  /** Cursor over CSV bytes; one cell at a time, no allocation. */
  static final class Scanner {
    final byte[] buf;
    final int end;
    final byte delimiter;
    int pos;

    /** Content of the last cell read, untrimmed; inside the quotes if it was quoted. */
    int cellStart;

    int cellEnd;

    /** Whether the last cell was quoted and held {@code ""} (only header names unescape). */
    boolean cellEscaped;

    /** Whether the last cell opened a quote that the range did not close. */
    boolean unclosedQuote;

    Scanner(byte[] buf, int pos, int end, byte delimiter) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
      this.delimiter = delimiter;
    }

    /** Past the spaces (and tabs, unless they delimit) at {@code from}. */
    private int skipBlanks(int from) {
      final byte[] b = buf;
      final boolean tabIsBlank = delimiter != '\t';
      while (from < end && (b[from] == ' ' || (tabIsBlank && b[from] == '\t'))) {
        from++;
      }
      return from;
    }

    /** Moves past blank lines; false if the range is exhausted. */
    boolean skipBlankLines() {
      final byte[] b = buf;
      while (pos < end) {
        int p = skipBlanks(pos);
        if (p == end) {
          pos = end;
          return false;
        }
        if (b[p] == '\n') {
          pos = p + 1;
        } else if (b[p] == '\r' && (p + 1 == end || b[p + 1] == '\n')) {
          pos = Math.min(p + 2, end);
        } else {
          return true;
        }
      }
      return false;
    }

    void skipRow() {
      while (nextCell()) {
        // cells of the row being skipped
      }
    }

    /**
     * Skips one row; true if it ended with a line feed and had no quote left open at the end of the
     * range, that is, if no later byte could change it.
     */
    boolean skipCompleteRow() {
      boolean more;
      do {
        more = nextCell();
        if (unclosedQuote) {
          return false;
        }
      } while (more);
      return pos > 0 && buf[pos - 1] == '\n';
    }

    /**
     * Reads the cell at {@code pos}; returns true if a comma followed it (the row goes on), false
     * if the row ended (LF or end of range). Leaves {@code pos} after the terminator.
     */
    boolean nextCell() {
      final byte[] b = buf;
      final int end = this.end;
      int start = skipBlanks(pos);
      cellEscaped = false;
      unclosedQuote = false;
      if (start == end || b[start] != '"') {
        return unquoted(start, start);
      }
      int q = start + 1;
      int limit = (int) Math.min(end, (long) start + 1 + MAX_QUOTED_BYTES);
      boolean escaped = false;
      while (true) {
        while (q < limit && b[q] != '"') {
          q++;
        }
        if (q == limit) {
          // Not closed within the limit: an ordinary byte. If the range ended first, more bytes
          // could still close it, which the chunker must know before it cuts after this row.
          unclosedQuote = limit == end && end - start - 1 < MAX_QUOTED_BYTES;
          return unquoted(start, start + 1);
        }
        if (q + 1 < end && b[q + 1] == '"') {
          escaped = true;
          q += 2;
          continue;
        }
        break;
      }
      int p = skipBlanks(q + 1);
      if (p < end) {
        byte c = b[p];
        if (c == delimiter) {
          pos = p + 1;
        } else if (c == '\n') {
          pos = p + 1;
        } else if (c == '\r' && (p + 1 == end || b[p + 1] == '\n')) {
          pos = Math.min(p + 2, end);
        } else {
          return unquoted(start, p); // junk after the closing quote
        }
      } else {
        pos = end;
      }
      cellStart = start + 1;
      cellEnd = q;
      cellEscaped = escaped;
      return p < end && b[p] == delimiter;
    }

    /** An unquoted cell starting at {@code start}; the terminator is searched from {@code from}. */
    private boolean unquoted(int start, int from) {
      final byte[] b = buf;
      final int end = this.end;
      final byte delimiter = this.delimiter;
      int p = from;
      while (p < end) {
        byte c = b[p];
        if (c == delimiter || c == '\n') {
          break;
        }
        p++;
      }
      cellStart = start;
      if (p < end && b[p] == delimiter) {
        cellEnd = p;
        pos = p + 1;
        return true;
      }
      cellEnd = p > start && b[p - 1] == '\r' ? p - 1 : p;
      pos = p < end ? p + 1 : end;
      return false;
    }
  }
}
