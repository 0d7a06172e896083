package io.fetchstats.cli;

import io.fetchstats.config.FetchSettings;
import io.fetchstats.config.FetchStatsConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How URLs are fetched: the commands that fetch. */
final class FetchOptions implements ConfigPart {
  @Option(
      names = "--fetch-threads",
      defaultValue = "" + FetchSettings.DEFAULT_THREADS,
      description =
          "Fetch pool size, which is the limit of requests in flight (env FETCHSTATS_FETCH_THREADS; default: ${DEFAULT-VALUE}).")
  int fetchThreads;

  @Option(
      names = "--max-per-host",
      defaultValue = "" + FetchSettings.DEFAULT_MAX_PER_HOST,
      description =
          "Requests in flight to one host at most (env FETCHSTATS_MAX_PER_HOST; default: ${DEFAULT-VALUE}).")
  int maxPerHost;

  @Option(
      names = "--max-attempts",
      defaultValue = "" + FetchSettings.DEFAULT_MAX_ATTEMPTS,
      description =
          "Attempts of a URL failing transiently: connect, reset, timeout, truncated, 408, 429, 5xx (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--retry-backoff",
      defaultValue = "500ms",
      description =
          "First wait before a retry, doubling each time, with jitter (default: ${DEFAULT-VALUE}).")
  Duration retryBackoff;

  @Option(
      names = "--max-retry-wait",
      defaultValue = "30s",
      description =
          "Longest wait between attempts; a longer Retry-After ends the retries (default: ${DEFAULT-VALUE}).")
  Duration maxRetryWait;

  @Option(
      names = "--max-redirects",
      defaultValue = "" + FetchSettings.DEFAULT_MAX_REDIRECTS,
      description = "Redirects followed at most (default: ${DEFAULT-VALUE}).")
  int maxRedirects;

  @Option(
      names = "--max-inflation-ratio",
      defaultValue = "" + FetchSettings.DEFAULT_MAX_INFLATION_RATIO,
      description =
          "How many times its compressed size a gzip/deflate body may grow (default: ${DEFAULT-VALUE}).")
  int maxInflationRatio;

  @Option(
      names = "--chunk-size",
      defaultValue = "" + FetchSettings.DEFAULT_CHUNK_BYTES,
      description =
          "Largest chunk in bytes (env FETCHSTATS_CHUNK_SIZE; default: ${DEFAULT-VALUE}).")
  int chunkBytes;

  @Option(
      names = "--max-body-size",
      defaultValue = "" + FetchSettings.DEFAULT_MAX_BODY_BYTES,
      description = "Largest body in bytes; larger fails as TOO_LARGE (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(
      names = "--connect-timeout",
      defaultValue = "10s",
      description = "HTTP connect timeout (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--request-timeout",
      defaultValue = "30s",
      description = "Timeout of one attempt of a fetch, body included (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  // The flag means true even when the environment or the config file set true (picocli would
  // otherwise take a flag given against a default of true as false).
  @Option(
      names = "--allow-private-networks",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "false",
      description =
          "Let fetches reach addresses that are not globally reachable: loopback, private,"
              + " link-local and the other special-purpose blocks (default: ${DEFAULT-VALUE}).")
  boolean allowPrivateNetworks;

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    config.fetch(
        fetch ->
            fetch
                .threads(fetchThreads)
                .maxPerHost(maxPerHost)
                .maxAttempts(maxAttempts)
                .retryBackoff(retryBackoff)
                .maxRetryWait(maxRetryWait)
                .maxRedirects(maxRedirects)
                .maxInflationRatio(maxInflationRatio)
                .chunkBytes(chunkBytes)
                .maxBodyBytes(maxBodyBytes)
                .connectTimeout(connectTimeout)
                .requestTimeout(requestTimeout)
                .allowPrivateNetworks(allowPrivateNetworks));
  }
}
