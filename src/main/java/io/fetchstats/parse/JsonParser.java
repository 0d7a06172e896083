package io.fetchstats.parse;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * One JSON document (RFC 8259, UTF-8, a leading byte order mark tolerated), read in one pass.
 *
 * <ul>
 *   <li>A field is the path of a value with array indices dropped: {@code [].delay} in a top-level
 *       array of objects, {@code data[].price} in {@code {"data":[{"price":1}]}}, {@code a.b} for
 *       nested objects, {@code []} for a top-level array of numbers, {@code [][]} for arrays of
 *       arrays. Escapes in keys are decoded. A scalar document is the field {@value
 *       JsonPaths#ROOT_FIELD}.
 *   <li>Number tokens are numbers (too large for a double: ±Infinity); strings, even holding
 *       digits, and {@code true}/{@code false} are non-numeric; {@code null} is missing. Objects
 *       and arrays are not cells.
 *   <li>Broken JSON (truncated, a bad token, an invalid escape, bytes after the value, nesting
 *       deeper than {@value JsonReader#MAX_DEPTH}) ends the parse: the cells before the error are
 *       reported, and the report's error says what broke where.
 * </ul>
 */
public final class JsonParser {

  private JsonParser() {}

  /**
   * Parses the document {@code data[offset, offset + length)}. {@code rows} counts the elements of
   * a top-level array, or 1 for any other value.
   */
  public static ParseReport parse(byte[] data, int offset, int length, CellSink sink) {
    return parse(data, offset, length, 0, sink);
  }

  /**
   * Parses a chunk of a document cut at a {@link Cut}, which starts with {@code reopened} bytes of
   * re-opened containers ({@link Cut#reopen}): values begun in them belong to an earlier chunk, so
   * they count no rows here, and the chunks' rows add up to the document's.
   */
  public static ParseReport parse(
      byte[] data, int offset, int length, int reopened, CellSink sink) {
    Objects.checkFromIndexSize(offset, length, data.length);
    Objects.checkFromIndexSize(0, reopened, length);
    Objects.requireNonNull(sink, "sink");
    return JsonReader.document(data, offset, reopened, offset + length, sink);
  }

  /**
   * Why {@code data[offset, offset + length)}, a document or a chunk of one, is broken before its
   * end, as {@link #parse} would report it; null if it is JSON or only ends too soon (it is the
   * start of a document: more bytes could complete it).
   */
  public static Break breakWithin(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    return JsonReader.breakWithin(data, offset, offset + length);
  }

  /**
   * Where and why JSON broke off.
   *
   * @param offset the byte, within the parsed range (or the body, as the chunker tells it)
   * @param reason what was wrong there, e.g. {@code unexpected 'x' where a value was expected}
   */
  public record Break(long offset, String reason) {
    /** The error as a {@link ParseReport} gives it. */
    public String message() {
      return "broken JSON at byte " + offset + ": " + reason;
    }
  }

  /**
   * A place where a JSON body may be cut into chunks that each parse alone: {@code data[from,
   * separator)} followed by {@link #close} is one chunk, and {@link #reopen} followed by the bytes
   * after the separator starts the next. Cells and paths come out as in the whole body (array
   * indices are not part of a path), and so do the rows (see {@link JsonParser#parse(byte[], int,
   * int, int, CellSink)}).
   *
   * @param separator index of the comma between two values of an array, or two members of an
   *     object, at any depth
   * @param reopen the containers open at the comma, outermost first, as the body opened them:
   *     brackets, braces and the keys of the members that hold them, e.g. <code>{"data":[</code>
   * @param close what closes them, innermost first, e.g. <code>]}</code>
   */
  public record Cut(int separator, byte[] reopen, byte[] close) {}

  /**
   * The last place {@code data[from, to)} may be cut (see {@link Cut}) where the re-opened and
   * closing bytes together take at most {@code maxPathBytes}, and each side of the cut, closed or
   * re-opened, is no longer than the range, or null if there is none: the body is not an array or
   * object, or no container holds two values yet within that depth. Only strings, escapes and
   * nesting are tracked. A comma only counts after a value and once the next value has begun, so no
   * cut can hide an empty one ({@code [1,,2]}, {@code [1,]}) for which the whole body would be
   * broken; nothing after the top-level value ends is cut.
   */
  public static Cut lastCut(byte[] data, int from, int to, int maxPathBytes) {
    Objects.checkFromToIndex(from, to, data.length);
    int start = Bytes.skipJsonWhitespace(data, Bytes.skipBom(data, from, to), to);
    if (start == to || (data[start] != '[' && data[start] != '{')) {
      return null;
    }
    Path path = new Path(data, maxPathBytes);
    boolean begun = false; // whether the innermost container's current value has begun
    int pending = -1; // the comma after that value, while the next one has not begun
    int last = -1;
    for (int p = start; p < to; p++) {
      byte c = data[p];
      if (Bytes.isJsonWhitespace(c)) {
        continue;
      }
      if (c == ',') {
        pending = begun ? p : -1;
        begun = false;
        path.comma();
        continue;
      }
      if (c == ']' || c == '}') {
        if (path.close() == 0) {
          break;
        }
        pending = -1;
        begun = true; // the closed container was a value of its parent
        continue;
      }
      if (pending >= 0) {
        if (path.fits() && path.sidesFit(from, pending, to)) {
          last = pending;
        }
        pending = -1;
      }
      begun = true;
      if (c == '"') {
        int quote = stringEnd(data, p, to);
        path.string(p, quote + 1);
        p = quote;
      } else if (c == '[' || c == '{') {
        path.open(c);
        begun = false;
      }
    }
    return last < 0 ? null : new Path(data, maxPathBytes).at(start, last);
  }

  /**
   * The containers open at a place of a JSON body, kept from the outermost down as long as they can
   * be re-opened and closed within {@code maxBytes}; deeper ones are only counted, so that a body
   * of brackets costs no memory.
   */
  private static final class Path {
    private final byte[] data;
    private final int maxBytes;
    private int depth;
    private int kept; // levels [0, kept) are kept; kept <= depth
    private byte[] kinds = new byte[16];
    private int[] keyStarts = new int[16];
    private int[] keyEnds = new int[16];
    private int[] reopenBytes = new int[16]; // to re-open down to each level, its bracket last
    private boolean expectingKey;

    Path(byte[] data, int maxBytes) {
      this.data = data;
      this.maxBytes = maxBytes;
    }

    void open(byte kind) {
      if (kept == depth) {
        int bytes = depth == 0 ? 1 : reopenBytes[depth - 1] + keyBytes(depth - 1) + 1;
        if (bytes + depth + 1 <= maxBytes) {
          keep(kind, bytes);
        }
      }
      depth++;
      expectingKey = kind == '{' && kept == depth;
    }

    private void keep(byte kind, int bytes) {
      if (kept == kinds.length) {
        int capacity = 2 * kept;
        kinds = Arrays.copyOf(kinds, capacity);
        keyStarts = Arrays.copyOf(keyStarts, capacity);
        keyEnds = Arrays.copyOf(keyEnds, capacity);
        reopenBytes = Arrays.copyOf(reopenBytes, capacity);
      }
      kinds[kept] = kind;
      keyEnds[kept] = keyStarts[kept] = 0;
      reopenBytes[kept++] = bytes;
    }

    /** Closes the innermost container; returns the depth left. */
    int close() {
      depth--;
      kept = Math.min(kept, depth);
      expectingKey = false;
      return depth;
    }

    void comma() {
      expectingKey = fits() && kinds[depth - 1] == '{';
    }

    void string(int start, int end) {
      if (expectingKey) {
        keyStarts[depth - 1] = start;
        keyEnds[depth - 1] = end;
        expectingKey = false;
      }
    }

    /** Whether a cut between two values of the innermost container would fit. */
    boolean fits() {
      return depth > 0 && kept == depth;
    }

    /**
     * Whether both sides of a cut at {@code separator} (a fitting one) are no longer than {@code
     * [from, to)}: the closing brackets take the place of bytes after the comma, the re-opened ones
     * that of the bytes before it, which hold them, unless keys lack their colon (broken JSON).
     */
    boolean sidesFit(int from, int separator, int to) {
      return separator + depth <= to && reopenBytes[depth - 1] <= separator + 1 - from;
    }

    /** The key of level's current member and its colon; none in an array. */
    private int keyBytes(int level) {
      return kinds[level] == '{' ? keyEnds[level] - keyStarts[level] + 1 : 0;
    }

    /** The cut at the comma {@code separator} (a fitting one), found by reading up to it again. */
    Cut at(int start, int separator) {
      for (int p = start; p < separator; p++) {
        byte c = data[p];
        if (c == '"') {
          int quote = stringEnd(data, p, separator);
          string(p, quote + 1);
          p = quote;
        } else if (c == '[' || c == '{') {
          open(c);
        } else if (c == ']' || c == '}') {
          close();
        } else if (c == ',') {
          comma();
        }
      }
      ByteArrayOutputStream reopen = new ByteArrayOutputStream();
      byte[] close = new byte[depth];
      for (int level = 0; level < depth; level++) {
        reopen.write(kinds[level]);
        if (level < depth - 1 && kinds[level] == '{') {
          reopen.write(data, keyStarts[level], keyEnds[level] - keyStarts[level]);
          reopen.write(':');
        }
        close[depth - 1 - level] = (byte) (kinds[level] == '{' ? '}' : ']');
      }
      return new Cut(separator, reopen.toByteArray(), close);
    }
  }

  /** Index of the quote that ends the string whose opening quote is at {@code quote}. */
  private static int stringEnd(byte[] data, int quote, int to) {
    int p = quote + 1;
    while (p < to && data[p] != '"') {
      p += data[p] == '\\' ? 2 : 1;
    }
    return p;
  }
}
