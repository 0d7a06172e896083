package io.fetchstats.config;

import io.fetchstats.domain.Keys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The one configuration of every stage, made by the CLI from options, environment variables or a
 * properties file, and turned into Kafka client properties only at the edge. Settings are grouped
 * by concern, so that a part of the pipeline can take just the group it uses.
 *
 * @param dataDir where the embedded broker keeps its log, Kafka Streams its state, and processes
 *     their instance ids
 * @param instanceId stable name of this process among instances: its transactional id and its state
 *     directories; empty means "claim one in the data dir" (see {@code InstanceIdentity})
 * @param stopTimeout how long stopping may take (fetches in flight are cancelled, their transaction
 *     aborted)
 * @param kafka where Kafka is and how topics are made
 * @param fetch how the ingest stage fetches
 * @param http the HTTP server (API, health, metrics)
 * @param processing the processor stage
 */
public record FetchStatsConfig(
    Path dataDir,
    String instanceId,
    Duration stopTimeout,
    KafkaSettings kafka,
    FetchSettings fetch,
    HttpSettings http,
    ProcessingSettings processing) {

  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  public FetchStatsConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(instanceId, "instanceId");
    Settings.require(
        instanceId.isEmpty() || INSTANCE_ID.matcher(instanceId).matches(),
        "instance id must be 1 to 100 letters, digits, '.', '_' or '-' (it names a Kafka"
            + " transactional id and a directory), not '"
            + Keys.abbreviate(instanceId, 100)
            + "'");
    Settings.require(Settings.positive(stopTimeout), "stop timeout must be positive");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(fetch, "fetch");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(processing, "processing");
  }

  /** This configuration on the Kafka it found or started: a process resolves its address once. */
  public FetchStatsConfig withBootstrapServers(String bootstrapServers) {
    return new FetchStatsConfig(
        dataDir,
        instanceId,
        stopTimeout,
        kafka.toBuilder().bootstrapServers(bootstrapServers).build(),
        fetch,
        http,
        processing);
  }

  /** This configuration under the instance id a process claimed. */
  public FetchStatsConfig withInstanceId(String id) {
    return new FetchStatsConfig(dataDir, id, stopTimeout, kafka, fetch, http, processing);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .dataDir(dataDir)
        .instanceId(instanceId)
        .stopTimeout(stopTimeout)
        .kafka(kafka)
        .fetch(fetch)
        .http(http)
        .processing(processing);
  }

  /** Starts from the defaults; every setter returns the builder. */
  public static final class Builder {
    private Path dataDir = Path.of("fetchstats-data");
    private String instanceId = "fetchstats";
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private KafkaSettings.Builder kafka = KafkaSettings.builder();
    private FetchSettings.Builder fetch = FetchSettings.builder();
    private HttpSettings http = HttpSettings.DEFAULTS;
    private ProcessingSettings processing = ProcessingSettings.defaults();

    private Builder() {}

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder instanceId(String value) {
      instanceId = value;
      return this;
    }

    public Builder stopTimeout(Duration value) {
      stopTimeout = value;
      return this;
    }

    public Builder kafka(KafkaSettings value) {
      kafka = value.toBuilder();
      return this;
    }

    /** Changes some Kafka settings, keeping the others. */
    public Builder kafka(Consumer<KafkaSettings.Builder> change) {
      change.accept(kafka);
      return this;
    }

    public Builder fetch(FetchSettings value) {
      fetch = value.toBuilder();
      return this;
    }

    /** Changes some fetch settings, keeping the others. */
    public Builder fetch(Consumer<FetchSettings.Builder> change) {
      change.accept(fetch);
      return this;
    }

    public Builder http(HttpSettings value) {
      http = value;
      return this;
    }

    public Builder http(UnaryOperator<HttpSettings> change) {
      http = change.apply(http);
      return this;
    }

    public Builder processing(ProcessingSettings value) {
      processing = value;
      return this;
    }

    public Builder processing(UnaryOperator<ProcessingSettings> change) {
      processing = change.apply(processing);
      return this;
    }

    public FetchStatsConfig build() {
      return new FetchStatsConfig(
          dataDir, instanceId, stopTimeout, kafka.build(), fetch.build(), http, processing);
    }
  }
}
