package io.fetchstats.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** One request as the API reads it: method, path segments, query, and a body of bounded size. */
final class Request {
  /**
   * How much of a body over the limit is read and dropped before answering 413: a client that sends
   * its whole body before it reads the answer (most do) then gets the 413 instead of a reset
   * connection. Past this the connection is closed (as Tomcat's maxSwallowSize).
   */
  static final long SWALLOW_BYTES = 2L << 20;

  private final String method;
  private final URI uri;
  private final Headers headers;
  private final Supplier<InputStream> body;
  private final long maxBodyBytes;

  Request(HttpExchange exchange, long maxBodyBytes) {
    this(
        exchange.getRequestMethod(),
        exchange.getRequestURI(),
        exchange.getRequestHeaders(),
        exchange::getRequestBody, // asked for only by a handler that reads the body
        maxBodyBytes);
  }

  /** A request from its parts: an exchange's, or those a test gives without a server. */
  Request(String method, URI uri, Headers headers, Supplier<InputStream> body, long maxBodyBytes) {
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    this.maxBodyBytes = maxBodyBytes;
  }

  String method() {
    return method;
  }

  /** The path's segments after the first (for /jobs/a/urls: a, urls), decoded. */
  List<String> pathAfterFirst() {
    String[] segments = uri.getPath().split("/");
    // "" before the leading slash, then the context's own name.
    return Arrays.stream(segments).skip(2).filter(s -> !s.isEmpty()).toList();
  }

  /** Fails with 405 unless the method is one of {@code allowed}. */
  void requireMethod(String... allowed) {
    if (!Arrays.asList(allowed).contains(method())) {
      throw new ApiException(
          405,
          method() + " is not allowed here; use " + String.join(" or ", allowed),
          Map.of("Allow", String.join(", ", allowed)));
    }
  }

  /** The query's parameters, decoded; a name given twice keeps its last value. */
  Map<String, String> query() {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "malformed query parameter '" + pair + "'");
      }
    }
    return params;
  }

  /** The first value of header {@code name}, or null. */
  String header(String name) {
    return headers.getFirst(name);
  }

  /** The body's Content-Type as given, parameters included (a charset), or null. */
  String contentType() {
    return headers.getFirst("Content-Type");
  }

  /** The media type of the body, lower case, without parameters ("" if none given). */
  String mediaType() {
    String type = contentType();
    if (type == null) {
      return "";
    }
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  /** The whole body; 413 if it is larger than the limit, whether announced so or not. */
  byte[] body() {
    String length = headers.getFirst("Content-Length");
    try (InputStream in = body.get()) {
      if (length != null && parsedLength(length) > maxBodyBytes) {
        throw tooLarge(in);
      }
      byte[] body = in.readNBytes((int) maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        throw tooLarge(in);
      }
      return body;
    } catch (IOException e) {
      throw new ApiException(400, "could not read the request body: " + e.getMessage());
    }
  }

  private ApiException tooLarge(InputStream body) throws IOException {
    long left = SWALLOW_BYTES;
    byte[] dropped = new byte[8192];
    int n;
    while (left > 0 && (n = body.read(dropped, 0, (int) Math.min(dropped.length, left))) >= 0) {
      left -= n;
    }
    return new ApiException(
        413,
        "the request body is larger than the limit of "
            + maxBodyBytes
            + " bytes (--max-request-size)");
  }

  private static long parsedLength(String length) {
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid Content-Length '" + length + "'");
    }
  }
}
