package io.fetchstats.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where Kafka is and how the pipeline's topics are made there.
 *
 * @param bootstrapServers Kafka to use; empty means "start the embedded broker" until a process has
 *     started it and {@link FetchStatsConfig#withBootstrapServers} put its address here
 * @param topicPrefix prefix of every topic name
 * @param partitions partitions of the topics this app creates (default: cores of this host)
 * @param replicationFactor of the topics this app creates and of Kafka Streams' internal topics
 * @param properties passed through to every Kafka client (TLS, SASL, tuning)
 * @param brokerPort port of the embedded broker; 0 means the one remembered in the data dir (9092
 *     at the first start when free, else a free port)
 * @param timeout how long a command waits for Kafka to answer before it fails
 */
public record KafkaSettings(
    String bootstrapServers,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    Map<String, String> properties,
    int brokerPort,
    Duration timeout) {

  public static final String DEFAULT_TOPIC_PREFIX = "fetchstats.";

  /** Kafka's usual port: the embedded broker takes it at its first start when it is free. */
  public static final int DEFAULT_BROKER_PORT = 9092;

  /** Long enough for a broker that is up, short enough for a person waiting on a typo. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public KafkaSettings {
    bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Settings.require(partitions > 0, "partitions must be positive");
    Settings.require(replicationFactor > 0, "replication factor must be positive");
    properties = Map.copyOf(new TreeMap<>(properties));
    Settings.require(
        brokerPort >= 0 && brokerPort <= 65535, "broker port must be between 0 and 65535");
    Settings.require(Settings.positive(timeout), "Kafka timeout must be positive");
    // Kafka's clients take their timeouts in int milliseconds.
    Settings.require(
        timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) <= 0,
        "Kafka timeout must be at most 24 days");
  }

  /** Whether no Kafka was given, so that a process starts the embedded broker. */
  public boolean embedded() {
    return bootstrapServers.isEmpty();
  }

  /** Names the client properties without their values: they hold passwords and keys. */
  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", topicPrefix="
        + topicPrefix
        + ", partitions="
        + partitions
        + ", replicationFactor="
        + replicationFactor
        + ", properties="
        + properties.keySet()
        + ", brokerPort="
        + brokerPort
        + ", timeout="
        + timeout
        + "]";
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .bootstrapServers(bootstrapServers)
        .topicPrefix(topicPrefix)
        .partitions(partitions)
        .replicationFactor(replicationFactor)
        .properties(properties)
        .brokerPort(brokerPort)
        .timeout(timeout);
  }

  /** Starts from the defaults; every setter returns the builder. */
  public static final class Builder {
    private String bootstrapServers = "";
    private String topicPrefix = DEFAULT_TOPIC_PREFIX;
    private int partitions = Runtime.getRuntime().availableProcessors();
    private short replicationFactor = 1;
    private Map<String, String> properties = Map.of();
    private int brokerPort = 0;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder() {}

    public Builder bootstrapServers(String value) {
      bootstrapServers = value;
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

    public Builder properties(Map<String, String> value) {
      properties = value;
      return this;
    }

    public Builder brokerPort(int value) {
      brokerPort = value;
      return this;
    }

    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    public KafkaSettings build() {
      return new KafkaSettings(
          bootstrapServers,
          topicPrefix,
          partitions,
          replicationFactor,
          properties,
          brokerPort,
          timeout);
    }
  }
}
