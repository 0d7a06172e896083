package io.fetchstats.parse;

/** The byte-level steps the parsers (and the chunker, which must agree with them) share. */
public final class Bytes {
  private Bytes() {}

  /** Past a UTF-8 byte order mark at {@code from}, if there is one. */
  public static int skipBom(byte[] b, int from, int end) {
    if (end - from >= 3
        && b[from] == (byte) 0xEF
        && b[from + 1] == (byte) 0xBB
        && b[from + 2] == (byte) 0xBF) {
      return from + 3;
    }
    return from;
  }

  /** Past the spaces, tabs and line ends at {@code p} (JSON's whitespace: blank lines too). */
  static int skipJsonWhitespace(byte[] b, int p, int to) {
    while (p < to && isJsonWhitespace(b[p])) {
      p++;
    }
    return p;
  }

  static boolean isJsonWhitespace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
