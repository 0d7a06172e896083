package io.fetchstats.config;

import java.util.Objects;

/**
 * The HTTP server of a process: the jobs API, health and metrics.
 *
 * @param bind address the server listens on
 * @param port port of the server; 0 picks a free one
 * @param maxRequestBytes largest request body taken (a URL list, numbers to analyze)
 * @param apiToken when set, what POST and DELETE requests must bring as {@code Authorization:
 *     Bearer TOKEN}: they make the host fetch URLs, or cancel jobs; null for none
 */
public record HttpSettings(String bind, int port, long maxRequestBytes, String apiToken) {

  /** Loopback: the API takes jobs that make the host fetch, so it is not open unless asked. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  public static final int DEFAULT_PORT = 8080;

  /** A list of 100,000 URLs, or a million numbers to analyze, is well under this. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 16L << 20;

  public static final HttpSettings DEFAULTS =
      new HttpSettings(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_MAX_REQUEST_BYTES, null);

  public HttpSettings {
    Objects.requireNonNull(bind, "bind");
    Settings.require(port >= 0 && port <= 65535, "HTTP port must be between 0 and 65535");
    Settings.require(
        maxRequestBytes > 0 && maxRequestBytes <= Integer.MAX_VALUE - 8,
        "max request size must be between 1 byte and 2 GiB");
    Settings.require(
        apiToken == null || (!apiToken.isBlank() && apiToken.strip().equals(apiToken)),
        "the API token must not be blank, nor start or end with spaces");
  }

  public HttpSettings withPort(int value) {
    return new HttpSettings(bind, value, maxRequestBytes, apiToken);
  }

  public HttpSettings withMaxRequestBytes(long value) {
    return new HttpSettings(bind, port, value, apiToken);
  }

  public HttpSettings withApiToken(String value) {
    return new HttpSettings(bind, port, maxRequestBytes, value);
  }

  /** Without the token itself, which logs must not show. */
  @Override
  public String toString() {
    return "HttpSettings[bind="
        + bind
        + ", port="
        + port
        + ", maxRequestBytes="
        + maxRequestBytes
        + ", apiToken="
        + (apiToken == null ? "none" : "set")
        + "]";
  }
}
