package io.fetchstats.ingest;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Turns a body, as it arrives, into the UTF-8 text the parsers read, and refuses a body that is not
 * text, so that the bytes of an image or an archive never become numbers or field names.
 *
 * <ul>
 *   <li><b>Charset</b>: a byte order mark decides (UTF-8, UTF-16 or UTF-32, either byte order),
 *       else the {@code charset} of the Content-Type (any the JDK decodes: ISO-8859-x,
 *       windows-125x, Shift_JIS, ...), else UTF-8. UTF-8 (and US-ASCII, its subset) passes as it
 *       is; any other is decoded and written out as UTF-8, so chunk cuts still fall at row ends. A
 *       charset the JDK does not know fails the body.
 *   <li><b>Not text</b>: a NUL character anywhere, or, at the end of any 64 KiB of the body and at
 *       its end, more than a quarter of the bytes so far (and at least 8) in sequences that are not
 *       valid in the charset (UTF-8 text has none; Latin-1 text read as UTF-8 a few in a hundred;
 *       random bytes about half). Whatever the reads' sizes, the same body gets the same verdict.
 * </ul>
 */
final class BodyText {
  /** Receives the body's text as UTF-8, in order. The array is only lent. */
  interface Sink {
    void write(byte[] data, int offset, int length);
  }

  /** The body is not text: binary bytes, or too many that are no characters of its charset. */
  static final class NotTextException extends RuntimeException {
    NotTextException(String message) {
      super(message);
    }
  }

  /** The Content-Type names a charset the JDK does not know. */
  static final class UnknownCharsetException extends Exception {
    UnknownCharsetException(String charset, String contentType) {
      super("unknown charset '" + charset + "' (Content-Type: " + contentType + ")");
    }
  }

  /** The share of invalid bytes is judged at every multiple of this offset, and at the end. */
  static final int WINDOW = 64 * 1024;

  /** More invalid bytes than 1 in this many makes a body not text... */
  private static final int INVALID_SHARE = 4;

  /** ...if there are at least this many: a stray byte or two does not make a short body binary. */
  private static final int MIN_INVALID = 8;

  private final Sink sink;
  private final Charset declared;

  /**
   * The first bytes, held (only when the first reads are shorter) until they tell whether the body
   * starts with a byte order mark.
   */
  private final byte[] head = new byte[4];

  private int headLength;
  private TextDecoding decoding;
  private long offset; // body bytes read so far

  private BodyText(Charset declared, Sink sink) {
    this.declared = declared;
    this.sink = sink;
  }

  /** Text of a body served with {@code contentType} (may be null). */
  static BodyText of(String contentType, Sink sink) throws UnknownCharsetException {
    String name = charsetParameter(contentType);
    if (name == null) {
      return new BodyText(StandardCharsets.UTF_8, sink);
    }
    try {
      return new BodyText(Charset.forName(name), sink);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new UnknownCharsetException(name, contentType);
    }
  }

  /**
   * The {@code charset} parameter of a media type ({@code text/csv; charset="utf-16"}), unquoted,
   * or null. Read here rather than with a general parser: every body asks.
   */
  static String charsetParameter(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String parameter : contentType.split(";")) {
      int equals = parameter.indexOf('=');
      if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("charset")) {
        String value = parameter.substring(equals + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  void write(byte[] data, int from, int count) {
    int end = from + count;
    if (decoding == null) {
      if (headLength == 0 && count >= head.length) {
        // The usual case: the first read holds the byte order mark, if there is one.
        from += begin(data, from, count);
      } else {
        int n = Math.min(count, head.length - headLength);
        System.arraycopy(data, from, head, headLength, n);
        headLength += n;
        from += n;
        if (headLength < head.length) {
          return;
        }
        feed(head, begin(head, 0, headLength), headLength);
      }
    }
    feed(data, from, end);
  }

  /** Ends the body: what is left is judged and written. */
  void finish() {
    if (decoding == null) {
      feed(head, begin(head, 0, headLength), headLength);
    }
    decoding.finish();
    judge();
  }

  /**
   * Chooses the decoding by the byte order mark {@code data[from, from + length)} starts with, or
   * else the charset; returns the length of the mark, which is not text.
   */
  private int begin(byte[] data, int from, int length) {
    int bom = 0;
    Charset charset = declared;
    if (startsWith(data, from, length, 0xEF, 0xBB, 0xBF)) {
      charset = StandardCharsets.UTF_8; // the parsers skip this mark themselves
    } else if (startsWith(data, from, length, 0xFF, 0xFE, 0x00, 0x00)) {
      charset = Charset.forName("UTF-32LE");
      bom = 4;
    } else if (startsWith(data, from, length, 0x00, 0x00, 0xFE, 0xFF)) {
      charset = Charset.forName("UTF-32BE");
      bom = 4;
    } else if (startsWith(data, from, length, 0xFE, 0xFF)) {
      charset = StandardCharsets.UTF_16BE;
      bom = 2;
    } else if (startsWith(data, from, length, 0xFF, 0xFE)) {
      charset = StandardCharsets.UTF_16LE;
      bom = 2;
    }
    boolean utf8 =
        charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII);
    decoding = utf8 ? new Utf8Check(sink) : new Transcoding(charset, sink);
    offset = bom;
    return bom;
  }

  private static boolean startsWith(byte[] data, int from, int length, int... bytes) {
    if (length < bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if ((data[from + i] & 0xFF) != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  /** Feeds {@code data[from, to)} in pieces that end at the windows' edges, judging at each. */
  private void feed(byte[] data, int from, int to) {
    while (from < to) {
      long toEdge = WINDOW - offset % WINDOW;
      int n = (int) Math.min(to - from, toEdge);
      decoding.decode(data, from, from + n);
      offset += n;
      from += n;
      if (offset % WINDOW == 0) {
        judge();
      }
    }
  }

  private void judge() {
    long invalid = decoding.invalid();
    if (invalid >= MIN_INVALID && invalid * INVALID_SHARE > offset) {
      throw new NotTextException(
          "binary body: "
              + invalid
              + " of its first "
              + offset
              + " bytes are not "
              + decoding.charsetName()
              + " text"
              + (decoding instanceof Utf8Check
                  ? " (text in another charset needs it declared: Content-Type charset)"
                  : ""));
    }
  }
}
