package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options every command shares; each also reads an environment variable. */
final class ConfigOptions {
  @Option(
      names = "--bootstrap-servers",
      defaultValue = "${env:FETCHSTATS_BOOTSTRAP_SERVERS}",
      description =
          "Kafka bootstrap servers (env FETCHSTATS_BOOTSTRAP_SERVERS). Unset: 'run', 'broker' and 'demo' start an embedded broker; the other commands need it.")
  String bootstrapServers;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:FETCHSTATS_DATA_DIR:-fetchstats-data}",
      description =
          "Embedded broker log and processor state (env FETCHSTATS_DATA_DIR; default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--topic-prefix",
      defaultValue =
          "${env:FETCHSTATS_TOPIC_PREFIX:-" + FetchStatsConfig.DEFAULT_TOPIC_PREFIX + "}",
      description =
          "Prefix of every topic name (env FETCHSTATS_TOPIC_PREFIX; default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--partitions",
      defaultValue = "${env:FETCHSTATS_PARTITIONS}",
      description =
          "Partitions of the topics created (env FETCHSTATS_PARTITIONS; default: cores of this host).")
  Integer partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "${env:FETCHSTATS_REPLICATION_FACTOR:-1}",
      description =
          "Replication factor of created and internal topics (default: ${DEFAULT-VALUE}).")
  short replicationFactor;

  @Option(
      names = "--stream-threads",
      defaultValue = "${env:FETCHSTATS_STREAM_THREADS}",
      description =
          "Processor threads (env FETCHSTATS_STREAM_THREADS; default: cores of this host).")
  Integer streamThreads;

  @Option(
      names = "--fetch-threads",
      defaultValue =
          "${env:FETCHSTATS_FETCH_THREADS:-" + FetchStatsConfig.DEFAULT_FETCH_THREADS + "}",
      description =
          "Fetch pool size, which is the limit of requests in flight (env FETCHSTATS_FETCH_THREADS; default: ${DEFAULT-VALUE}).")
  int fetchThreads;

  @Option(
      names = "--max-per-host",
      defaultValue =
          "${env:FETCHSTATS_MAX_PER_HOST:-" + FetchStatsConfig.DEFAULT_MAX_PER_HOST + "}",
      description =
          "Requests in flight to one host at most (env FETCHSTATS_MAX_PER_HOST; default: ${DEFAULT-VALUE}).")
  int maxPerHost;

  @Option(
      names = "--max-attempts",
      defaultValue =
          "${env:FETCHSTATS_MAX_ATTEMPTS:-" + FetchStatsConfig.DEFAULT_MAX_ATTEMPTS + "}",
      description =
          "Attempts of a URL failing transiently: connect, reset, timeout, truncated, 408, 429, 5xx (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--retry-backoff",
      defaultValue = "${env:FETCHSTATS_RETRY_BACKOFF:-PT0.5S}",
      description =
          "First wait before a retry, doubling each time, with jitter; ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration retryBackoff;

  @Option(
      names = "--max-retry-wait",
      defaultValue = "${env:FETCHSTATS_MAX_RETRY_WAIT:-PT30S}",
      description =
          "Longest wait between attempts; a longer Retry-After ends the retries (default: ${DEFAULT-VALUE}).")
  Duration maxRetryWait;

  @Option(
      names = "--max-redirects",
      defaultValue =
          "${env:FETCHSTATS_MAX_REDIRECTS:-" + FetchStatsConfig.DEFAULT_MAX_REDIRECTS + "}",
      description = "Redirects followed at most (default: ${DEFAULT-VALUE}).")
  int maxRedirects;

  @Option(
      names = "--max-inflation-ratio",
      defaultValue =
          "${env:FETCHSTATS_MAX_INFLATION_RATIO:-"
              + FetchStatsConfig.DEFAULT_MAX_INFLATION_RATIO
              + "}",
      description =
          "How many times its compressed size a gzip/deflate body may grow (default: ${DEFAULT-VALUE}).")
  int maxInflationRatio;

  @Option(
      names = "--chunk-size",
      defaultValue = "${env:FETCHSTATS_CHUNK_SIZE:-" + FetchStatsConfig.DEFAULT_CHUNK_BYTES + "}",
      description =
          "Largest chunk in bytes (env FETCHSTATS_CHUNK_SIZE; default: ${DEFAULT-VALUE}).")
  int chunkBytes;

  @Option(
      names = "--max-body-size",
      defaultValue =
          "${env:FETCHSTATS_MAX_BODY_SIZE:-" + FetchStatsConfig.DEFAULT_MAX_BODY_BYTES + "}",
      description = "Largest body in bytes; larger fails as TOO_LARGE (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(
      names = "--connect-timeout",
      defaultValue = "${env:FETCHSTATS_CONNECT_TIMEOUT:-PT10S}",
      description = "HTTP connect timeout, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--request-timeout",
      defaultValue = "${env:FETCHSTATS_REQUEST_TIMEOUT:-PT30S}",
      description =
          "Timeout of one attempt of a fetch, body included, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  // The flag means true even when the environment or the config file set true (picocli would
  // otherwise take a flag given against a default of true as false).
  @Option(
      names = "--allow-private-networks",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "${env:FETCHSTATS_ALLOW_PRIVATE_NETWORKS:-false}",
      description =
          "Let fetches reach addresses that are not globally reachable: loopback, private,"
              + " link-local and the other special-purpose blocks (default: ${DEFAULT-VALUE}).")
  boolean allowPrivateNetworks;

  @Option(
      names = "--instance-id",
      defaultValue = "${env:FETCHSTATS_INSTANCE_ID}",
      description =
          "Stable name of this process among instances: letters, digits, '.', '_', '-' (env"
              + " FETCHSTATS_INSTANCE_ID; default: one claimed in --data-dir, so that processes"
              + " started with defaults never share one and a restarted one gets its own back).")
  String instanceId;

  @Option(
      names = "--broker-port",
      defaultValue = "${env:FETCHSTATS_BROKER_PORT:-0}",
      description =
          "Port of the embedded broker of 'run' and 'broker' (env FETCHSTATS_BROKER_PORT; default:"
              + " the one remembered in --data-dir, which is "
              + FetchStatsConfig.DEFAULT_BROKER_PORT
              + " when it was free at the first start).")
  int brokerPort;

  @Option(
      names = "--kafka-timeout",
      defaultValue = "${env:FETCHSTATS_KAFKA_TIMEOUT:-PT10S}",
      description =
          "How long to wait for Kafka to answer before failing, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration kafkaTimeout;

  @Option(
      names = "--stop-timeout",
      defaultValue = "${env:FETCHSTATS_STOP_TIMEOUT:-PT5S}",
      description =
          "How long stopping may take; fetches in flight are cancelled and fetched again after a"
              + " restart, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration stopTimeout;

  @Option(
      names = "--http-bind",
      defaultValue = "${env:FETCHSTATS_HTTP_BIND:-" + FetchStatsConfig.DEFAULT_HTTP_BIND + "}",
      description =
          "Address of the HTTP server of 'serve', 'run', 'ingest' and 'process' (API, /health, /metrics); 0.0.0.0 for all (default: ${DEFAULT-VALUE}).")
  String httpBind;

  @Option(
      names = "--http-port",
      defaultValue = "${env:FETCHSTATS_HTTP_PORT}",
      description =
          "Port of the HTTP server; 0 picks a free one (env FETCHSTATS_HTTP_PORT; default: "
              + FetchStatsConfig.DEFAULT_HTTP_PORT
              + " for 'run' and 'serve'; 'ingest' and 'process' serve /health and /metrics only"
              + " when it is set, so that several run on one host).")
  Integer httpPort;

  @Option(
      names = "--max-request-size",
      defaultValue =
          "${env:FETCHSTATS_MAX_REQUEST_SIZE:-" + FetchStatsConfig.DEFAULT_MAX_REQUEST_BYTES + "}",
      description =
          "Largest HTTP request body in bytes; larger gets 413 (default: ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  @Option(
      names = {"-X", "--kafka-property"},
      description = "A Kafka client property, key=value (TLS, SASL, tuning); repeatable.")
  Map<String, String> kafkaProperties = new HashMap<>();

  @Option(
      names = "--kafka-config",
      defaultValue = "${env:FETCHSTATS_KAFKA_CONFIG}",
      description = "A properties file of Kafka client properties (env FETCHSTATS_KAFKA_CONFIG).")
  Path kafkaConfig;

  /** Whether an HTTP port was set (option, environment or file), not defaulted. */
  boolean httpPortSet() {
    return httpPort != null;
  }

  /** The configuration of a command that works on an existing Kafka: bootstrap servers required. */
  FetchStatsConfig toExternalConfig(CommandSpec spec) {
    FetchStatsConfig config = toConfig();
    if (config.embedded()) {
      throw new ParameterException(
          spec.commandLine(),
          spec.qualifiedName()
              + " needs --bootstrap-servers (or FETCHSTATS_BOOTSTRAP_SERVERS); only 'run',"
              + " 'broker' and 'demo' start an embedded broker");
    }
    return config;
  }

  FetchStatsConfig toConfig() {
    FetchStatsConfig.Builder builder =
        FetchStatsConfig.builder()
            .bootstrapServers(bootstrapServers)
            .dataDir(dataDir)
            .topicPrefix(topicPrefix)
            .replicationFactor(replicationFactor)
            .fetchThreads(fetchThreads)
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
            .allowPrivateNetworks(allowPrivateNetworks)
            .httpBind(httpBind)
            .httpPort(httpPort == null ? FetchStatsConfig.DEFAULT_HTTP_PORT : httpPort)
            .maxRequestBytes(maxRequestBytes)
            .instanceId(instanceId == null ? "" : instanceId.strip())
            .kafkaProperties(allKafkaProperties())
            .brokerPort(brokerPort)
            .kafkaTimeout(kafkaTimeout)
            .stopTimeout(stopTimeout);
    if (partitions != null) {
      builder.partitions(partitions);
    }
    if (streamThreads != null) {
      builder.streamThreads(streamThreads);
    }
    return builder.build();
  }

  private Map<String, String> allKafkaProperties() {
    Map<String, String> all = new HashMap<>();
    if (kafkaConfig != null) {
      Properties file = new Properties();
      try (InputStream in = Files.newInputStream(kafkaConfig)) {
        file.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read Kafka config " + kafkaConfig, e);
      }
      file.stringPropertyNames().forEach(name -> all.put(name, file.getProperty(name)));
    }
    all.putAll(kafkaProperties);
    return all;
  }
}
