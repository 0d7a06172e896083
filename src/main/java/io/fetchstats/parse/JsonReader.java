package io.fetchstats.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one-pass JSON reader behind {@link JsonParser} (a document) and {@link NdjsonParser} (a value
 * per line): a recursive descent over the bytes that reports each scalar to the sink under its
 * path, allocating nothing per value. Strict RFC 8259: no comments, no trailing commas, no leading
 * zeros, no raw control characters in strings. Input cut short is broken at its end (where more
 * bytes were needed), other broken input at the first byte that cannot be right.
 */
final class JsonReader {
  /** Deeper nesting is refused: it would only serve to exhaust the stack. */
  static final int MAX_DEPTH = 1000;

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** Bytes that stop a scan through a string: quote, backslash and control characters. */
  private static final boolean[] STRING_STOP = new boolean[256];

  static {
    for (int c = 0; c < 0x20; c++) {
      STRING_STOP[c] = true;
    }
    STRING_STOP['"'] = true;
    STRING_STOP['\\'] = true;
  }

  private static final byte HELD_NUMBER = 0;
  private static final byte HELD_MISSING = 1;
  private static final byte HELD_NON_NUMERIC = 2;

  private final byte[] b;
  private final int start;

  /** End of the containers a continued chunk re-opens: values begun before it are not rows. */
  private final int reopenedEnd;

  private final int end;

  /** NDJSON: a line feed ends a value instead of being white space. */
  private final boolean lines;

  private final CellSink sink;
  private final JsonPaths paths;
  private int pos;

  /** Elements of the top-level array read whole and begun in this chunk: a document's rows. */
  private long topElements;

  /** Decoded bytes of a key with escapes. */
  private byte[] scratch = new byte[64];

  // NDJSON: the cells of the current line, reported only once the whole line is valid.
  private int held;
  private int[] heldPath;
  private byte[] heldKind;
  private double[] heldValue;

  private JsonReader(byte[] b, int from, int reopened, int to, boolean lines, CellSink sink) {
    this.b = b;
    this.start = from;
    this.reopenedEnd = from + reopened;
    this.end = to;
    this.lines = lines;
    this.sink = sink;
    this.paths = new JsonPaths(sink);
    if (lines) {
      heldPath = new int[64];
      heldKind = new byte[64];
      heldValue = new double[64];
    }
  }

  /** See {@link JsonParser#parse}. */
  static ParseReport document(byte[] b, int from, int reopened, int to, CellSink sink) {
    return new JsonReader(b, from, reopened, to, false, sink).document();
  }

  /** See {@link NdjsonParser#parse}. */
  static ParseReport lines(byte[] b, int from, int to, CellSink sink) {
    return new JsonReader(b, from, 0, to, true, sink).lines();
  }

  /** See {@link JsonParser#breakWithin}. */
  static JsonParser.Break breakWithin(byte[] b, int from, int to) {
    try {
      new JsonReader(b, from, 0, to, false, CellSink.NONE).readDocument();
      return null;
    } catch (Malformed e) {
      // The reader says where the data ends when it needs more bytes, and only then.
      return e.offset < to ? new JsonParser.Break(e.offset - from, e.getMessage()) : null;
    }
  }

  private ParseReport document() {
    try {
      return new ParseReport(readDocument(), 0);
    } catch (Malformed e) {
      return new ParseReport(
          isArray() ? topElements : 0,
          0,
          new JsonParser.Break(e.offset - start, e.getMessage()).message());
    }
  }

  /** Reads the document whole; returns its rows. */
  private long readDocument() {
    int n = end - start;
    if (n > 0 && n < BOM.length && Arrays.equals(b, start, end, BOM, 0, n)) {
      throw malformed(end, "inside a byte order mark");
    }
    pos = skipWhitespace(Bytes.skipBom(b, start, end));
    boolean begunHere = pos >= reopenedEnd;
    value(JsonPaths.ROOT, 0);
    pos = skipWhitespace(pos);
    if (pos < end) {
      throw malformed(pos, "after the JSON value");
    }
    return isArray() ? topElements : begunHere ? 1 : 0;
  }

  /** Whether the document is an array, whose elements are its rows. */
  private boolean isArray() {
    int first = skipWhitespace(Bytes.skipBom(b, start, end));
    return first < end && b[first] == '[';
  }

  /**
   * A line that is not valid JSON is counted as a bad row, and none of its cells count: one broken
   * line (a log line cut short, a stray message) should not fail a body of millions of good ones,
   * and a record counts whole or not at all.
   */
  private ParseReport lines() {
    long rows = 0;
    long bad = 0;
    int p = start;
    while (p < end) {
      // Bodies joined with cat keep each part's byte order mark.
      p = skipWhitespace(Bytes.skipBom(b, p, end));
      if (p == end) {
        break;
      }
      if (b[p] == '\n') {
        p++;
        continue;
      }
      rows++;
      try {
        pos = p;
        value(JsonPaths.ROOT, 0);
        p = skipWhitespace(pos);
        if (p < end && b[p] != '\n') {
          throw malformed(p, "after the JSON value");
        }
        release();
      } catch (Malformed e) {
        // A line feed is never inside a value here, so the bad line ends at the next one.
        held = 0;
        bad++;
        p = e.offset;
        while (p < end && b[p] != '\n') {
          p++;
        }
      }
      p = Math.min(p + 1, end);
    }
    return new ParseReport(rows, bad);
  }

  private void value(int path, int depth) {
    int p = skipWhitespace(pos);
    if (p >= end) {
      throw malformed(p, "where a value was expected");
    }
    pos = p;
    switch (b[p]) {
      case '{' -> object(path, depth + 1);
      case '[' -> array(path, depth + 1);
      case '"' -> {
        pos = skipString(p);
        nonNumeric(path);
      }
      case 't' -> {
        literal(TRUE);
        nonNumeric(path);
      }
      case 'f' -> {
        literal(FALSE);
        nonNumeric(path);
      }
      case 'n' -> {
        literal(NULL);
        missing(path);
      }
      default -> number(path);
    }
  }

  private void object(int path, int depth) {
    checkDepth(depth);
    int p = skipWhitespace(pos + 1);
    if (p < end && b[p] == '}') {
      pos = p + 1;
      return;
    }
    while (true) {
      if (p >= end || b[p] != '"') {
        throw malformed(p, "where a key in double quotes was expected");
      }
      int child = key(path, p);
      p = skipWhitespace(pos);
      if (p >= end || b[p] != ':') {
        throw malformed(p, "where ':' after a key was expected");
      }
      pos = p + 1;
      value(child, depth);
      p = skipWhitespace(pos);
      if (p < end && b[p] == ',') {
        p = skipWhitespace(p + 1);
      } else if (p < end && b[p] == '}') {
        pos = p + 1;
        return;
      } else {
        throw malformed(p, "where ',' or '}' was expected");
      }
    }
  }

  private void array(int path, int depth) {
    checkDepth(depth);
    int element = paths.element(path);
    int p = skipWhitespace(pos + 1);
    if (p < end && b[p] == ']') {
      pos = p + 1;
      return;
    }
    pos = p;
    while (true) {
      boolean begunHere = pos >= reopenedEnd;
      value(element, depth);
      if (depth == 1 && begunHere) {
        topElements++;
      }
      p = skipWhitespace(pos);
      if (p < end && b[p] == ',') {
        pos = p + 1;
      } else if (p < end && b[p] == ']') {
        pos = p + 1;
        return;
      } else {
        throw malformed(p, "where ',' or ']' was expected");
      }
    }
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw new Malformed(pos, "nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  /** Reads the key whose opening quote is at {@code quote}; returns its path. */
  private int key(int parent, int quote) {
    final byte[] b = this.b;
    final boolean[] stop = STRING_STOP;
    int from = quote + 1;
    int p = from;
    while (p < end && !stop[b[p] & 0xFF]) {
      p++;
    }
    if (p < end && b[p] == '"') {
      pos = p + 1;
      return paths.child(parent, b, from, p);
    }
    return escapedKey(parent, from);
  }

  /** A key with escapes (or broken): decoded to UTF-8, so that it names the same path. */
  private int escapedKey(int parent, int from) {
    int n = 0;
    int p = from;
    while (true) {
      if (scratch.length - n < 4) {
        scratch = Arrays.copyOf(scratch, 2 * scratch.length);
      }
      if (p >= end) {
        throw malformed(p, "inside a string");
      }
      byte c = b[p];
      if (c == '"') {
        pos = p + 1;
        return paths.child(parent, scratch, 0, n);
      }
      if (c >= 0 && c < 0x20) {
        throw malformed(p, "inside a string (control characters must be escaped)");
      }
      if (c != '\\') {
        scratch[n++] = c;
        p++;
        continue;
      }
      int next = escape(p);
      byte e = b[p + 1];
      if (e != 'u') {
        scratch[n++] = unescape(e);
        p = next;
        continue;
      }
      int cp = hex4(p + 2);
      p = next;
      if (Character.isHighSurrogate((char) cp) && p + 1 < end && b[p] == '\\' && b[p + 1] == 'u') {
        int low = hex4(p + 2);
        if (Character.isLowSurrogate((char) low)) {
          cp = Character.toCodePoint((char) cp, (char) low);
          p = escape(p);
        }
      }
      if (cp <= 0xFFFF && Character.isSurrogate((char) cp)) {
        cp = 0xFFFD; // a lone surrogate has no UTF-8 form
      }
      n = utf8(cp, n);
    }
  }

  private int utf8(int cp, int n) {
    byte[] s = scratch;
    if (cp < 0x80) {
      s[n++] = (byte) cp;
    } else if (cp < 0x800) {
      s[n++] = (byte) (0xC0 | cp >> 6);
      s[n++] = (byte) (0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      s[n++] = (byte) (0xE0 | cp >> 12);
      s[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
      s[n++] = (byte) (0x80 | cp & 0x3F);
    } else {
      s[n++] = (byte) (0xF0 | cp >> 18);
      s[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
      s[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
      s[n++] = (byte) (0x80 | cp & 0x3F);
    }
    return n;
  }

  /** Checks the string whose opening quote is at {@code quote}; returns the index past it. */
  private int skipString(int quote) {
    final byte[] b = this.b;
    final boolean[] stop = STRING_STOP;
    int p = quote + 1;
    while (true) {
      while (p < end && !stop[b[p] & 0xFF]) {
        p++;
      }
      if (p >= end) {
        throw malformed(p, "inside a string");
      }
      byte c = b[p];
      if (c == '"') {
        return p + 1;
      }
      if (c != '\\') {
        throw malformed(p, "inside a string (control characters must be escaped)");
      }
      p = escape(p);
    }
  }

  /** Checks the escape at backslash {@code p}; returns the index past it. */
  private int escape(int p) {
    if (p + 1 >= end) {
      throw malformed(p + 1, "inside a string");
    }
    switch (b[p + 1]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        return p + 2;
      }
      case 'u' -> {
        hex4(p + 2);
        return p + 6;
      }
      default -> throw malformed(p + 1, "after '\\' (not an escape)");
    }
  }

  private static byte unescape(byte e) {
    return switch (e) {
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      default -> e; // '"', '\\', '/'
    };
  }

  /** The four hex digits at {@code p}. */
  private int hex4(int p) {
    int v = 0;
    for (int i = p; i < p + 4; i++) {
      int d = i < end ? Character.digit(b[i], 16) : -1;
      if (d < 0) {
        throw malformed(i, "in a \\u escape (four hex digits expected)");
      }
      v = v << 4 | d;
    }
    return v;
  }

  private void literal(byte[] word) {
    int p = pos;
    int n = Math.min(word.length, end - p);
    if (!Arrays.equals(b, p, p + n, word, 0, n)) {
      throw malformed(p, "where a value was expected");
    }
    if (n < word.length) {
      // Cut short, not wrong: more bytes could complete it.
      throw malformed(end, "inside '" + new String(word, StandardCharsets.US_ASCII) + "'");
    }
    pos = p + n;
  }

  /**
   * JSON's number grammar, {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}, checked
   * while the digits are gathered, so that most numbers are converted without a second look.
   */
  private void number(int path) {
    final byte[] b = this.b;
    final int end = this.end;
    final int from = pos;
    int p = from;
    boolean negative = b[p] == '-';
    if (negative) {
      p++;
    }
    if (p >= end || !isDigit(b[p])) {
      throw malformed(p, negative ? "after '-'" : "where a value was expected");
    }
    long mantissa = 0;
    int intStart = p;
    if (b[p] == '0') {
      p++;
      if (p < end && isDigit(b[p])) {
        throw malformed(p, "after a leading zero");
      }
    } else {
      while (p < end && isDigit(b[p])) {
        mantissa = mantissa * 10 + (b[p] - '0');
        p++;
      }
    }
    int digits = p - intStart;
    int fracDigits = 0;
    if (p < end && b[p] == '.') {
      int frac = ++p;
      while (p < end && isDigit(b[p])) {
        mantissa = mantissa * 10 + (b[p] - '0');
        p++;
      }
      fracDigits = p - frac;
      if (fracDigits == 0) {
        throw malformed(p, "after a decimal point");
      }
      digits += fracDigits;
    }
    int exponent = 0;
    if (p < end && (b[p] | 0x20) == 'e') {
      p++;
      boolean negativeExponent = false;
      if (p < end && (b[p] == '+' || b[p] == '-')) {
        negativeExponent = b[p] == '-';
        p++;
      }
      int exp = p;
      while (p < end && isDigit(b[p])) {
        if (exponent < 100_000) {
          exponent = exponent * 10 + (b[p] - '0');
        }
        p++;
      }
      if (p == exp) {
        throw malformed(p, "in an exponent");
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    pos = p;
    double value =
        NumberGrammar.value(b, from, p, negative, mantissa, digits, exponent - fracDigits);
    if (lines) {
      hold(path, HELD_NUMBER, value);
    } else {
      sink.number(paths.field(path), value);
    }
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private void nonNumeric(int path) {
    if (lines) {
      hold(path, HELD_NON_NUMERIC, 0);
    } else {
      sink.nonNumeric(paths.field(path));
    }
  }

  private void missing(int path) {
    if (lines) {
      hold(path, HELD_MISSING, 0);
    } else {
      sink.missing(paths.field(path));
    }
  }

  private void hold(int path, byte kind, double value) {
    if (held == heldPath.length) {
      int n = 2 * held;
      heldPath = Arrays.copyOf(heldPath, n);
      heldKind = Arrays.copyOf(heldKind, n);
      heldValue = Arrays.copyOf(heldValue, n);
    }
    heldPath[held] = path;
    heldKind[held] = kind;
    heldValue[held] = value;
    held++;
  }

  private void release() {
    for (int i = 0; i < held; i++) {
      int field = paths.field(heldPath[i]);
      switch (heldKind[i]) {
        case HELD_NUMBER -> sink.number(field, heldValue[i]);
        case HELD_MISSING -> sink.missing(field);
        default -> sink.nonNumeric(field);
      }
    }
    held = 0;
  }

  /** Skips JSON white space; in NDJSON a line feed ends the line instead. */
  private int skipWhitespace(int p) {
    final byte[] b = this.b;
    while (p < end && Bytes.isJsonWhitespace(b[p]) && !(lines && b[p] == '\n')) {
      p++;
    }
    return p;
  }

  private Malformed malformed(int p, String where) {
    return new Malformed(p, describe(p) + " " + where);
  }

  private String describe(int p) {
    if (p >= end) {
      return "the data ends";
    }
    int c = b[p] & 0xFF;
    if (c == '\n') {
      return "the line ends";
    }
    return c > 0x20 && c < 0x7F
        ? "unexpected '" + (char) c + "'"
        : String.format("unexpected byte 0x%02X", c);
  }

  /**
   * Broken JSON at {@code offset}. Without a stack trace: it is an answer about the input, and an
   * NDJSON body may have many broken lines.
   */
  private static final class Malformed extends RuntimeException {
    final int offset;

    Malformed(int offset, String message) {
      super(message, null, false, false);
      this.offset = offset;
    }
  }
}
