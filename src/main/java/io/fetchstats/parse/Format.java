package io.fetchstats.parse;

import java.util.Locale;

/** How a body is parsed. */
public enum Format {
  TEXT,
  /** CSV with a comma, semicolon or tab delimiter, told from the first line. */
  CSV,
  /** Tab-separated values: CSV's rules with a tab delimiter. */
  TSV,
  /** One JSON document (RFC 8259). */
  JSON,
  /** One JSON value per line (NDJSON, JSON Lines). */
  NDJSON;

  /**
   * The format the media type names, else the one the path's extension names, case-insensitively;
   * TEXT otherwise. The path check covers servers that label data files {@code text/plain} or
   * {@code application/octet-stream}.
   *
   * <ul>
   *   <li>CSV: {@code text/csv}, {@code application/csv}, {@code text/comma-separated-values}; a
   *       {@code .csv} path.
   *   <li>JSON: {@code application/json} and any {@code +json} type; a {@code .json} path.
   *   <li>NDJSON: {@code application/x-ndjson}, {@code application/ndjson}, {@code
   *       application/jsonl}, {@code application/x-jsonlines}, {@code application/jsonlines}; a
   *       {@code .ndjson} or {@code .jsonl} path. An NDJSON path also wins over a JSON media type,
   *       because servers that know no NDJSON type often label such files {@code application/json},
   *       and parsed as one document they would be broken JSON.
   * </ul>
   */
  public static Format detect(String contentType, String urlPath) {
    Format byType = contentType == null ? null : byMediaType(contentType);
    Format byPath = urlPath == null ? null : byExtension(urlPath);
    if (byType == JSON && byPath == NDJSON) {
      return NDJSON;
    }
    if (byType != null) {
      return byType;
    }
    return byPath != null ? byPath : TEXT;
  }

  /**
   * The format of a body that {@link #detect} called TEXT for want of a specific media type (none,
   * {@code text/plain}, an octet stream), told from its first bytes: a body starting with {@code
   * [} is JSON; one starting with {@code {} is NDJSON if another line starts so too, else JSON.
   * Anything else stays as detected.
   */
  public static Format sniff(Format detected, String contentType, byte[] start, int length) {
    if (detected != TEXT || !isGeneric(contentType)) {
      return detected;
    }
    int p = Bytes.skipJsonWhitespace(start, Bytes.skipBom(start, 0, length), length);
    if (p == length) {
      return detected;
    }
    if (start[p] == '[') {
      return JSON;
    }
    if (start[p] == '{') {
      for (int i = p; i < length; i++) {
        if (start[i] == '\n') {
          int next = Bytes.skipJsonWhitespace(start, i + 1, length);
          if (next < length && start[next] == '{') {
            return NDJSON;
          }
        }
      }
      return JSON;
    }
    return detected;
  }

  private static boolean isGeneric(String contentType) {
    if (contentType == null) {
      return true;
    }
    int semi = contentType.indexOf(';');
    String type =
        (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    return type.isEmpty()
        || type.equals("text/plain")
        || type.equals("application/octet-stream")
        || type.equals("binary/octet-stream");
  }

  /** The format of a name, in any case; a clear error for an unknown one. */
  public static Format named(String name) {
    for (Format format : values()) {
      if (format.name().equalsIgnoreCase(name.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown format '" + name + "': use one of " + java.util.Arrays.toString(values()));
  }

  /**
   * Parses one chunk of a body of this format into {@code sink}.
   *
   * @param header the body's first row, which every chunk of a CSV or TSV body carries
   * @param firstChunk whether the chunk starts the body (and so with the header row)
   */
  public ParseReport parse(
      byte[] data, int offset, int length, String header, boolean firstChunk, CellSink sink) {
    return switch (this) {
      case CSV, TSV ->
          CsvParser.parse(data, offset, length, header, firstChunk, delimiter(header), sink);
      case JSON -> {
        int reopened = reopenedBytes(header);
        // Only a chunk not made by the chunker (a poison record) can claim more than it holds.
        yield reopened <= length
            ? JsonParser.parse(data, offset, length, reopened, sink)
            : new ParseReport(
                0,
                0,
                "a JSON chunk's header re-opens "
                    + reopened
                    + " bytes, more than the chunk's "
                    + length);
      }
      case NDJSON -> NdjsonParser.parse(data, offset, length, sink);
      case TEXT -> TextParser.parse(data, offset, length, firstChunk, header != null, sink);
    };
  }

  /**
   * A JSON chunk's header holds the bytes it re-opens (see {@link JsonParser.Cut}), one char per
   * byte (ISO-8859-1), so that keys which are not valid UTF-8 keep their length.
   */
  private static int reopenedBytes(String header) {
    return header == null ? 0 : header.length();
  }

  /** Whether bodies of this format are cut and parsed as CSV (with a header on every chunk). */
  public boolean isDelimited() {
    return this == CSV || this == TSV;
  }

  /**
   * The delimiter of a delimited body whose first non-blank line is {@code headerLine}: a tab for
   * TSV, else as {@link CsvParser#detectDelimiter(String)} tells.
   */
  public byte delimiter(String headerLine) {
    return this == TSV ? (byte) '\t' : CsvParser.detectDelimiter(headerLine);
  }

  private static Format byMediaType(String contentType) {
    int semi = contentType.indexOf(';');
    String type =
        (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    switch (type) {
      case "text/csv":
      case "application/csv":
      case "text/comma-separated-values":
        return CSV;
      case "text/tab-separated-values":
        return TSV;
      case "application/json":
        return JSON;
      case "application/x-ndjson":
      case "application/ndjson":
      case "application/jsonl":
      case "application/x-jsonlines":
      case "application/jsonlines":
        return NDJSON;
      default:
        return type.endsWith("+json") ? JSON : null;
    }
  }

  private static Format byExtension(String urlPath) {
    String path = urlPath;
    // Tolerate a full URL or a path still carrying its query / fragment.
    int cut = indexOfAny(path, '?', '#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    if (endsWithIgnoreCase(path, ".csv")) {
      return CSV;
    }
    if (endsWithIgnoreCase(path, ".tsv") || endsWithIgnoreCase(path, ".tab")) {
      return TSV;
    }
    if (endsWithIgnoreCase(path, ".json")) {
      return JSON;
    }
    if (endsWithIgnoreCase(path, ".ndjson") || endsWithIgnoreCase(path, ".jsonl")) {
      return NDJSON;
    }
    return null;
  }

  private static boolean endsWithIgnoreCase(String s, String suffix) {
    return s.regionMatches(true, s.length() - suffix.length(), suffix, 0, suffix.length());
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == a || c == b) {
        return i;
      }
    }
    return -1;
  }
}
