package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.HttpSettings;
import picocli.CommandLine.Option;

/** The HTTP server (API, health, metrics): the commands that serve one. */
final class HttpOptions implements ConfigPart {
  @Option(
      names = "--http-bind",
      defaultValue = "" + HttpSettings.DEFAULT_BIND,
      description =
          "Address of the HTTP server of 'serve', 'run', 'ingest' and 'process' (API, /health, /metrics); 0.0.0.0 for all (default: ${DEFAULT-VALUE}).")
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

  /** Whether an HTTP port was set (option, environment or file), not defaulted. */
  boolean portSet() {
    return httpPort != null;
  }

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    config.http(
        new HttpSettings(
            httpBind, httpPort == null ? HttpSettings.DEFAULT_PORT : httpPort, maxRequestBytes));
  }
}
