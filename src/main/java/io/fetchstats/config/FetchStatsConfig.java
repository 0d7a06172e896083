package io.fetchstats.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The one configuration of every stage, made by the CLI from options, environment variables or a
 * properties file, and turned into Kafka client properties only at the edge.
 *
 * @param bootstrapServers Kafka to use; empty means "start the embedded broker"
 * @param dataDir where the embedded broker keeps its log and Kafka Streams its state
 * @param topicPrefix prefix of every topic name
 * @param partitions partitions of the topics this app creates (default: cores of this host)
 * @param replicationFactor of the topics this app creates and of Kafka Streams' internal topics
 * @param streamThreads Kafka Streams threads (default: cores of this host)
 * @param fetchThreads size of the ingest stage's fetch pool, which is also the global limit of
 *     requests in flight (a thread holds one request; waits for a retry or a busy host hold none)
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
 * @param instanceId stable name of this process among instances: its transactional id and its state
 *     directories; empty means "claim one in the data dir" (see {@code InstanceIdentity})
 * @param maxFailuresListed how many failed URLs a job result lists (all are counted)
 * @param httpBind address the HTTP server (API, health, metrics) listens on
 * @param httpPort port of the HTTP server; 0 picks a free one
 * @param maxRequestBytes largest HTTP request body taken (a URL list, numbers to analyze)
 * @param kafkaProperties passed through to every Kafka client (TLS, SASL, tuning)
 * @param brokerPort port of the embedded broker; 0 means the one remembered in the data dir (9092
 *     at the first start when free, else a free port)
 * @param kafkaTimeout how long a command waits for Kafka to answer before it fails
 * @param stopTimeout how long stopping may take (fetches in flight are cancelled, their transaction
 *     aborted)
 */
public record FetchStatsConfig(
    String bootstrapServers,
    Path dataDir,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    int streamThreads,
    int fetchThreads,
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
    boolean allowPrivateNetworks,
    String instanceId,
    int maxFailuresListed,
    String httpBind,
    int httpPort,
    long maxRequestBytes,
    Map<String, String> kafkaProperties,
    int brokerPort,
    Duration kafkaTimeout,
    Duration stopTimeout) {

  public static final String DEFAULT_TOPIC_PREFIX = "fetchstats.";
  public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;
  public static final int MIN_CHUNK_BYTES = 1024;

  /**
   * A chunk record holds its data and the CSV header row, each at most a chunk, and must stay under
   * the pipeline's 8 MiB record limit.
   */
  public static final int MAX_CHUNK_BYTES = 4 * 1024 * 1024 - 64 * 1024;

  public static final long DEFAULT_MAX_BODY_BYTES = 1L << 30;

  /** Loopback: the API takes jobs that make the host fetch, so it is not open unless asked. */
  public static final String DEFAULT_HTTP_BIND = "127.0.0.1";

  public static final int DEFAULT_HTTP_PORT = 8080;

  /** A list of 100,000 URLs, or a million numbers to analyze, is well under this. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 16L << 20;

  /**
   * Fetching is I/O-bound: a thread mostly waits on the network, so many more threads than cores.
   * By Little's law a pool of n threads fetches at most n / latency URLs a second (32 threads, 100
   * ms: 320 a second); each fetch in flight holds one chunk buffer, so memory stays near n x chunk
   * size (8 MiB at the defaults) beside the producer's buffer.
   */
  public static final int DEFAULT_FETCH_THREADS = 32;

  /** Politeness: a handful of connections to one server at a time, as browsers do. */
  public static final int DEFAULT_MAX_PER_HOST = 8;

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_MAX_REDIRECTS = 10;

  /**
   * Text and CSV of numbers compress 3-10 times, very repetitive data up to a few dozen; a
   * decompression bomb (zeros) about a thousand.
   */
  public static final int DEFAULT_MAX_INFLATION_RATIO = 100;

  /** Kafka's usual port: the embedded broker takes it at its first start when it is free. */
  public static final int DEFAULT_BROKER_PORT = 9092;

  /** Long enough for a broker that is up, short enough for a person waiting on a typo. */
  public static final Duration DEFAULT_KAFKA_TIMEOUT = Duration.ofSeconds(10);

  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  public FetchStatsConfig {
    bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(instanceId, "instanceId");
    require(
        instanceId.isEmpty() || INSTANCE_ID.matcher(instanceId).matches(),
        "instance id must be 1 to 100 letters, digits, '.', '_' or '-' (it names a Kafka"
            + " transactional id and a directory), not '"
            + Keys.abbreviate(instanceId, 100)
            + "'");
    require(partitions > 0, "partitions must be positive");
    require(replicationFactor > 0, "replication factor must be positive");
    require(streamThreads > 0, "stream threads must be positive");
    require(fetchThreads > 0, "fetch threads must be positive");
    require(maxPerHost > 0, "max requests per host must be positive");
    require(maxAttempts > 0, "max attempts must be positive");
    require(maxRedirects >= 0, "max redirects must not be negative");
    require(maxInflationRatio > 0, "max inflation ratio must be positive");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(maxRetryWait, "maxRetryWait");
    require(!retryBackoff.isNegative(), "retry backoff must not be negative");
    require(
        !maxRetryWait.isNegative() && maxRetryWait.compareTo(Duration.ofDays(1)) <= 0,
        "max retry wait must be between 0 and a day");
    require(
        chunkBytes >= MIN_CHUNK_BYTES && chunkBytes <= MAX_CHUNK_BYTES,
        "chunk size must be between " + MIN_CHUNK_BYTES + " and " + MAX_CHUNK_BYTES + " bytes");
    require(positive(connectTimeout), "connect timeout must be positive");
    require(positive(requestTimeout), "request timeout must be positive");
    require(maxBodyBytes > 0, "max body size must be positive");
    require(maxFailuresListed >= 0, "max failures listed must not be negative");
    Objects.requireNonNull(httpBind, "httpBind");
    require(httpPort >= 0 && httpPort <= 65535, "HTTP port must be between 0 and 65535");
    require(
        maxRequestBytes > 0 && maxRequestBytes <= Integer.MAX_VALUE - 8,
        "max request size must be between 1 byte and 2 GiB");
    kafkaProperties = Map.copyOf(new TreeMap<>(kafkaProperties));
    require(brokerPort >= 0 && brokerPort <= 65535, "broker port must be between 0 and 65535");
    Objects.requireNonNull(kafkaTimeout, "kafkaTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    require(positive(kafkaTimeout), "Kafka timeout must be positive");
    require(positive(stopTimeout), "stop timeout must be positive");
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  public boolean embedded() {
    return bootstrapServers.isEmpty();
  }

  public Topics topics() {
    return new Topics(topicPrefix);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .bootstrapServers(bootstrapServers)
        .dataDir(dataDir)
        .topicPrefix(topicPrefix)
        .partitions(partitions)
        .replicationFactor(replicationFactor)
        .streamThreads(streamThreads)
        .fetchThreads(fetchThreads)
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
        .allowPrivateNetworks(allowPrivateNetworks)
        .instanceId(instanceId)
        .maxFailuresListed(maxFailuresListed)
        .httpBind(httpBind)
        .httpPort(httpPort)
        .maxRequestBytes(maxRequestBytes)
        .kafkaProperties(kafkaProperties)
        .brokerPort(brokerPort)
        .kafkaTimeout(kafkaTimeout)
        .stopTimeout(stopTimeout);
  }

  /** Starts from the defaults; every setter returns the builder. */
  public static final class Builder {
    private String bootstrapServers = "";
    private Path dataDir = Path.of("fetchstats-data");
    private String topicPrefix = DEFAULT_TOPIC_PREFIX;
    private int partitions = Runtime.getRuntime().availableProcessors();
    private short replicationFactor = 1;
    private int streamThreads = Runtime.getRuntime().availableProcessors();
    private int fetchThreads = DEFAULT_FETCH_THREADS;
    private int maxPerHost = DEFAULT_MAX_PER_HOST;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = Duration.ofMillis(500);
    private Duration maxRetryWait = Duration.ofSeconds(30);
    private int maxRedirects = DEFAULT_MAX_REDIRECTS;
    private int maxInflationRatio = DEFAULT_MAX_INFLATION_RATIO;
    private int chunkBytes = DEFAULT_CHUNK_BYTES;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private boolean allowPrivateNetworks = false;
    private String instanceId = "fetchstats";
    private int maxFailuresListed = 100;
    private String httpBind = DEFAULT_HTTP_BIND;
    private int httpPort = DEFAULT_HTTP_PORT;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Map<String, String> kafkaProperties = Map.of();
    private int brokerPort = 0;
    private Duration kafkaTimeout = DEFAULT_KAFKA_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;

    private Builder() {}

    public Builder bootstrapServers(String value) {
      bootstrapServers = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder topicPrefix(String value) {
      topicPrefix = value;
      return this;
    }

    public Builder partitions(int value) {
      partitions = value;
      return this;
    }

    public Builder replicationFactor(short value) {
      replicationFactor = value;
      return this;
    }

    public Builder streamThreads(int value) {
      streamThreads = value;
      return this;
    }

    public Builder fetchThreads(int value) {
      fetchThreads = value;
      return this;
    }

    public Builder maxPerHost(int value) {
      maxPerHost = value;
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

    public Builder allowPrivateNetworks(boolean value) {
      allowPrivateNetworks = value;
      return this;
    }

    public Builder instanceId(String value) {
      instanceId = value;
      return this;
    }

    public Builder maxFailuresListed(int value) {
      maxFailuresListed = value;
      return this;
    }

    public Builder httpBind(String value) {
      httpBind = value;
      return this;
    }

    public Builder httpPort(int value) {
      httpPort = value;
      return this;
    }

    public Builder maxRequestBytes(long value) {
      maxRequestBytes = value;
      return this;
    }

    public Builder kafkaProperties(Map<String, String> value) {
      kafkaProperties = value;
      return this;
    }

    public Builder brokerPort(int value) {
      brokerPort = value;
      return this;
    }

    public Builder kafkaTimeout(Duration value) {
      kafkaTimeout = value;
      return this;
    }

    public Builder stopTimeout(Duration value) {
      stopTimeout = value;
      return this;
    }

    public FetchStatsConfig build() {
      return new FetchStatsConfig(
          bootstrapServers,
          dataDir,
          topicPrefix,
          partitions,
          replicationFactor,
          streamThreads,
          fetchThreads,
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
          allowPrivateNetworks,
          instanceId,
          maxFailuresListed,
          httpBind,
          httpPort,
          maxRequestBytes,
          kafkaProperties,
          brokerPort,
          kafkaTimeout,
          stopTimeout);
    }
  }
}
