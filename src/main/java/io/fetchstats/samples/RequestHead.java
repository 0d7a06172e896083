package io.fetchstats.samples;

import java.util.Map;

/**
 * A request line and headers. Header names are lower case; repeated headers are joined with ", ".
 */
record RequestHead(
    String method, String target, boolean http11, Map<String, String> headers, long contentLength) {

  /** HTTP/1.1 keeps the connection unless the client says close; HTTP/1.0 ends it. */
  boolean keepAlive() {
    return http11 && !hasToken("connection", "close");
  }

  boolean expectsContinue() {
    return http11 && hasToken("expect", "100-continue");
  }

  private boolean hasToken(String header, String token) {
    String value = headers.get(header);
    if (value == null) {
      return false;
    }
    for (String part : value.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }
}
