package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.HttpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The HTTP server (API, health, metrics): the commands that serve one. */
final class HttpOptions implements ConfigPart {
  @Option(
      names = "--http-bind",
      defaultValue = "" + HttpSettings.DEFAULT_BIND,
      description =
          "Address of the HTTP server of 'serve', 'run', 'ingest' and 'process' (API, web page, /health, /metrics); 0.0.0.0 for all, and then set --api-token (default: ${DEFAULT-VALUE}).")
  String httpBind;

  @Option(
      names = "--http-port",
      description =
          "Port of the HTTP server; 0 picks a free one (env FETCHSTATS_HTTP_PORT; default: "
              + HttpSettings.DEFAULT_PORT
              + " for 'run' and 'serve'; 'ingest' and 'process' serve /health and /metrics only"
              + " when it is set, so that several run on one host).")
  Integer httpPort;

  @Option(
      names = "--max-request-size",
      defaultValue = "" + HttpSettings.DEFAULT_MAX_REQUEST_BYTES,
      description =
          "Largest HTTP request body in bytes; larger gets 413 (default: ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  @Option(
      names = "--api-token",
      description =
          "Token that POST and DELETE requests to the API must bring as 'Authorization: Bearer"
              + " TOKEN' (env FETCHSTATS_API_TOKEN); set it whenever --http-bind opens the API"
              + " beyond loopback, since a POST makes this host fetch URLs (default: none).")
  String apiToken;

  @Option(
      names = "--api-token-file",
      paramLabel = "FILE",
      description = "Reads --api-token from the first line of FILE, kept out of process listings.")
  Path apiTokenFile;

  /** Whether an HTTP port was set (option, environment or file), not defaulted. */
  boolean portSet() {
    return httpPort != null;
  }

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    config.http(
        new HttpSettings(
            httpBind,
            httpPort == null ? HttpSettings.DEFAULT_PORT : httpPort,
            maxRequestBytes,
            token()));
  }

  private String token() {
    if (apiTokenFile == null) {
      return apiToken == null || apiToken.isEmpty() ? null : apiToken;
    }
    if (apiToken != null) {
      throw new IllegalArgumentException("give --api-token or --api-token-file, not both");
    }
    try {
      String first = Files.readAllLines(apiTokenFile).stream().findFirst().orElse("").strip();
      if (first.isEmpty()) {
        throw new IllegalArgumentException("the API token file " + apiTokenFile + " is empty");
      }
      return first;
    } catch (IOException e) {
      throw new IllegalArgumentException(Unreadable.message(apiTokenFile.toString(), e), e);
    }
  }
}
