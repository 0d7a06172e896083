package io.fetchstats.samples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads requests from a connection's bytes: heads parsed, bodies discarded. */
final class RequestReader {
  static final int MAX_HEAD_BYTES = 16 * 1024;
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
  private static final Pattern LENGTH = Pattern.compile("[0-9]{1,18}");

  private final InputStream in;
  private final byte[] buffer = new byte[2 * MAX_HEAD_BYTES];
  private int start;
  private int end;

  RequestReader(InputStream in) {
    this.in = in;
  }

  /**
   * The next request's head, or null if the client closed the connection between requests.
   *
   * @throws HttpError 431 if the head is over {@link #MAX_HEAD_BYTES}, 400 if it is malformed or
   *     cut short, 505 for an HTTP version other than 1.0 and 1.1
   */
  RequestHead readHead() throws IOException, HttpError {
    int scanFrom = start;
    while (true) {
      // Empty lines before a request line are allowed (RFC 9112, section 2.2).
      while (start < end && (buffer[start] == '\r' || buffer[start] == '\n')) {
        start++;
      }
      int headEnd = headEnd(Math.max(scanFrom, start));
      if (headEnd >= 0 && headEnd - start <= MAX_HEAD_BYTES) {
        RequestHead head =
            parse(new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1));
        start = headEnd;
        return head;
      }
      if (headEnd >= 0 || end - start > MAX_HEAD_BYTES) {
        throw new HttpError(431, "request header fields too large\n");
      }
      // The blank line may be split over reads; the unread bytes move to the front.
      scanFrom = Math.max(start, end - 2) - start;
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      start = 0;
      int read = in.read(buffer, end, buffer.length - end);
      if (read < 0) {
        if (start == end) {
          return null;
        }
        throw new HttpError(400, "the request head was cut short\n");
      }
      end += read;
    }
  }

  /** Reads and drops {@code length} bytes of request body. */
  void discard(long length) throws IOException {
    int buffered = (int) Math.min(length, end - start);
    start += buffered;
    in.skipNBytes(length - buffered);
  }

  /** Reads and drops everything until the client closes the connection. */
  void drain() throws IOException {
    start = end;
    while (in.read(buffer) >= 0) {
      // the bytes are ignored; only the end matters
    }
  }

  /** The offset just past the blank line that ends the head, or -1 if it has not come yet. */
  private int headEnd(int from) {
    for (int i = from; i < end; i++) {
      if (buffer[i] == '\n') {
        int next = i + 1;
        if (next < end && buffer[next] == '\r') {
          next++;
        }
        if (next < end && buffer[next] == '\n') {
          return next + 1;
        }
      }
    }
    return -1;
  }

  private static RequestHead parse(String head) throws HttpError {
    String[] lines = head.split("\r?\n");
    String[] requestLine = lines[0].split(" ", -1);
    if (requestLine.length != 3
        || !TOKEN.matcher(requestLine[0]).matches()
        || requestLine[1].isEmpty()
        || !VERSION.matcher(requestLine[2]).matches()) {
      throw new HttpError(400, "malformed request line\n");
    }
    String version = requestLine[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new HttpError(505, "HTTP version not supported\n");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      // A name must be a token: no space before the colon, no folded (indented) lines.
      if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
        throw new HttpError(400, "malformed header line\n");
      }
      headers.merge(
          line.substring(0, colon).toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip(),
          (earlier, later) -> earlier + ", " + later);
    }
    return new RequestHead(
        requestLine[0],
        requestLine[1],
        version.equals("HTTP/1.1"),
        headers,
        contentLength(headers.get("content-length")));
  }

  /** The body length; a repeated Content-Length must repeat the same value (RFC 9110, 8.6). */
  private static long contentLength(String header) throws HttpError {
    if (header == null) {
      return 0;
    }
    String[] values = header.split(",", -1);
    for (String value : values) {
      if (!LENGTH.matcher(value.strip()).matches() || !value.strip().equals(values[0].strip())) {
        throw new HttpError(400, "bad Content-Length\n");
      }
    }
    return Long.parseLong(values[0].strip());
  }
}
