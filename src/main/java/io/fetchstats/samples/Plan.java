package io.fetchstats.samples;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** How to answer one request: the reply, the latency before it, and how to deliver it. */
record Plan(Reply reply, long latencyMillis, Delivery delivery, long bytesPerSecond) {

  /** How the reply reaches the client; every way but the first two ends the connection. */
  enum Delivery {
    NORMAL,
    SLOW,
    TRUNCATE,
    RESET,
    RESET_BODY,
    HANG
  }

  static Plan of(Reply reply) {
    return new Plan(reply, 0, Delivery.NORMAL, 0);
  }

  /**
   * A status, headers (Content-Length, Date and Connection aside, which the connection adds) and a
   * body.
   */
  record Reply(int status, Map<String, String> headers, Body body) {
    Reply {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static Reply text(int status, String text) {
      return new Reply(
          status,
          headers("Content-Type", "text/plain"),
          Body.of(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Headers in the order given, so responses are the same bytes every time. */
    static Map<String, String> headers(String... namesAndValues) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 0; i < namesAndValues.length; i += 2) {
        headers.put(namesAndValues[i], namesAndValues[i + 1]);
      }
      return headers;
    }

    /** The reason phrase of a status line (optional in HTTP/1.1, but kind to readers). */
    static String reason(int status) {
      return switch (status) {
        case 200 -> "OK";
        case 204 -> "No Content";
        case 301 -> "Moved Permanently";
        case 302 -> "Found";
        case 303 -> "See Other";
        case 304 -> "Not Modified";
        case 307 -> "Temporary Redirect";
        case 308 -> "Permanent Redirect";
        case 400 -> "Bad Request";
        case 401 -> "Unauthorized";
        case 403 -> "Forbidden";
        case 404 -> "Not Found";
        case 405 -> "Method Not Allowed";
        case 408 -> "Request Timeout";
        case 410 -> "Gone";
        case 411 -> "Length Required";
        case 429 -> "Too Many Requests";
        case 431 -> "Request Header Fields Too Large";
        case 500 -> "Internal Server Error";
        case 502 -> "Bad Gateway";
        case 503 -> "Service Unavailable";
        case 504 -> "Gateway Timeout";
        case 505 -> "HTTP Version Not Supported";
        default -> "";
      };
    }

    /** 204 and 304 answers have neither a body nor a Content-Length (RFC 9110, 8.6). */
    boolean hasBody() {
      return status != 204 && status != 304;
    }

    Reply withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Reply(status, more, body);
    }
  }
}
