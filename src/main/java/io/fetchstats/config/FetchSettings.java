package io.fetchstats.config;

import java.time.Duration;

/**
 * How the ingest stage fetches: its pool, its politeness, its limits on what a body may be, and its
 * retries.
 *
 * @param threads size of the fetch pool, which is also the global limit of requests in flight (a
 *     thread holds one request; waits for a retry or a busy host hold none)
 * @param maxPerHost requests in flight to one host at most
 * @param chunkBytes upper bound of a chunk's size (a longer record is split or counted bad)
 * @param maxBodyBytes a body larger than this fails with TOO_LARGE
 * @param connectTimeout HTTP connect timeout
 * @param requestTimeout HTTP timeout for a whole attempt, redirects and body included (time spent
 *     publishing chunks to Kafka excluded)
 * @param maxAttempts attempts of a URL whose failure may be transient (connect, reset, timeout,
 *     truncated body, 408, 429, 5xx), while none of its body has been published
 * @param retryBackoff first wait before a retry; it doubles with each attempt (with full jitter)
 * @param maxRetryWait cap of a wait between attempts; a longer Retry-After ends the retries
 * @param maxRedirects redirects followed at most
 * @param maxInflationRatio how many times its compressed size a gzip or deflate body may grow
 * @param allowPrivateNetworks let fetches reach addresses that are not globally reachable
 *     (loopback, private, link-local and the other special-purpose blocks)
 */
public record FetchSettings(
    int threads,
    int maxPerHost,
    int chunkBytes,
    long maxBodyBytes,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration retryBackoff,
    Duration maxRetryWait,
    int maxRedirects,
    int maxInflationRatio,
    boolean allowPrivateNetworks) {

  /**
   * Fetching is I/O-bound: a thread mostly waits on the network, so many more threads than cores.
   * By Little's law a pool of n threads fetches at most n / latency URLs a second (32 threads, 100
   * ms: 320 a second); each fetch in flight holds one chunk buffer, so memory stays near n x chunk
   * size (8 MiB at the defaults) beside the producer's buffer.
   */
  public static final int DEFAULT_THREADS = 32;

  /** Politeness: a handful of connections to one server at a time, as browsers do. */
  public static final int DEFAULT_MAX_PER_HOST = 8;

  public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;
  public static final int MIN_CHUNK_BYTES = 1024;

  /**
   * A chunk record holds its data and the CSV header row, each at most a chunk, and must stay under
   * the pipeline's 8 MiB record limit.
   */
  public static final int MAX_CHUNK_BYTES = 4 * 1024 * 1024 - 64 * 1024;

  public static final long DEFAULT_MAX_BODY_BYTES = 1L << 30;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_MAX_REDIRECTS = 10;

  /**
   * Text and CSV of numbers compress 3-10 times, very repetitive data up to a few dozen; a
   * decompression bomb (zeros) about a thousand.
   */
  public static final int DEFAULT_MAX_INFLATION_RATIO = 100;

  public FetchSettings {
    Settings.require(threads > 0, "fetch threads must be positive");
    Settings.require(maxPerHost > 0, "max requests per host must be positive");
    Settings.require(
        chunkBytes >= MIN_CHUNK_BYTES && chunkBytes <= MAX_CHUNK_BYTES,
        "chunk size must be between " + MIN_CHUNK_BYTES + " and " + MAX_CHUNK_BYTES + " bytes");
    Settings.require(maxBodyBytes > 0, "max body size must be positive");
    Settings.require(Settings.positive(connectTimeout), "connect timeout must be positive");
    Settings.require(Settings.positive(requestTimeout), "request timeout must be positive");
    Settings.require(maxAttempts > 0, "max attempts must be positive");
    Settings.require(
        retryBackoff != null && !retryBackoff.isNegative(), "retry backoff must not be negative");
    Settings.require(
        maxRetryWait != null
            && !maxRetryWait.isNegative()
            && maxRetryWait.compareTo(Duration.ofDays(1)) <= 0,
        "max retry wait must be between 0 and a day");
    Settings.require(maxRedirects >= 0, "max redirects must not be negative");
    Settings.require(maxInflationRatio > 0, "max inflation ratio must be positive");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .threads(threads)
        .maxPerHost(maxPerHost)
        .chunkBytes(chunkBytes)
        .maxBodyBytes(maxBodyBytes)
        .connectTimeout(connectTimeout)
        .requestTimeout(requestTimeout)
        .maxAttempts(maxAttempts)
        .retryBackoff(retryBackoff)
        .maxRetryWait(maxRetryWait)
        .maxRedirects(maxRedirects)
        .maxInflationRatio(maxInflationRatio)
        .allowPrivateNetworks(allowPrivateNetworks);
  }

  /** Starts from the defaults; every setter returns the builder. */
  public static final class Builder {
    private int threads = DEFAULT_THREADS;
    private int maxPerHost = DEFAULT_MAX_PER_HOST;
    private int chunkBytes = DEFAULT_CHUNK_BYTES;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = Duration.ofMillis(500);
    private Duration maxRetryWait = Duration.ofSeconds(30);
    private int maxRedirects = DEFAULT_MAX_REDIRECTS;
    private int maxInflationRatio = DEFAULT_MAX_INFLATION_RATIO;
    private boolean allowPrivateNetworks = false;

    private Builder() {}

    public Builder threads(int value) {
      threads = value;
      return this;
    }

    public Builder maxPerHost(int value) {
      maxPerHost = value;
      return this;
    }

    public Builder chunkBytes(int value) {
      chunkBytes = value;
      return this;
    }

    public Builder maxBodyBytes(long value) {
      maxBodyBytes = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    public Builder requestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder retryBackoff(Duration value) {
      retryBackoff = value;
      return this;
    }

    public Builder maxRetryWait(Duration value) {
      maxRetryWait = value;
      return this;
    }

    public Builder maxRedirects(int value) {
      maxRedirects = value;
      return this;
    }

    public Builder maxInflationRatio(int value) {
      maxInflationRatio = value;
      return this;
    }

    public Builder allowPrivateNetworks(boolean value) {
      allowPrivateNetworks = value;
      return this;
    }

    public FetchSettings build() {
      return new FetchSettings(
          threads,
          maxPerHost,
          chunkBytes,
          maxBodyBytes,
          connectTimeout,
          requestTimeout,
          maxAttempts,
          retryBackoff,
          maxRetryWait,
          maxRedirects,
          maxInflationRatio,
          allowPrivateNetworks);
    }
  }
}
