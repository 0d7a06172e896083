package io.fetchstats.api;

import java.util.Map;

/**
 * A request the API refuses: its status and why, with headers to send along (Allow, Retry-After).
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final Map<String, String> headers;

  ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  ApiException(int status, String message, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }
}
