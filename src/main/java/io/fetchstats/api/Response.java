package io.fetchstats.api;

import io.fetchstats.results.ResultsJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the API answers: a status, a body and its type, and headers. */
record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  /** A body already written as JSON (the results' own rendering). */
  static Response json(int status, String json) {
    return new Response(status, JSON_TYPE, utf8(json + "\n"), Map.of());
  }

  static Response json(int status, Object value) {
    return json(status, ResultsJson.write(value));
  }

  static Response error(int status, String message, Map<String, String> headers) {
    Response error = json(status, Map.of("error", message == null ? "error" : message));
    return new Response(status, error.contentType(), error.body(), headers);
  }

  /** Prometheus text exposition format 0.0.4. */
  static Response text(String metrics) {
    return new Response(200, "text/plain; version=0.0.4; charset=utf-8", utf8(metrics), Map.of());
  }

  Response withHeader(String name, String value) {
    Map<String, String> more = new java.util.HashMap<>(headers);
    more.put(name, value);
    return new Response(status, contentType, body, Map.copyOf(more));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
