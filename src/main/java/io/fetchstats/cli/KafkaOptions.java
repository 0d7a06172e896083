package io.fetchstats.cli;

import io.fetchstats.config.FetchStatsConfig;
import io.fetchstats.config.KafkaSettings;
import io.fetchstats.kafka.TopicAdmin;
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

/** Where Kafka is and how to talk to it: every command that reads or writes a topic. */
final class KafkaOptions implements ConfigPart {
  @Option(
      names = "--bootstrap-servers",
      description =
          "Kafka bootstrap servers (env FETCHSTATS_BOOTSTRAP_SERVERS). Unset: 'run', 'broker' and 'demo' start an embedded broker; the other commands need it.")
  String bootstrapServers;

  @Option(
      names = "--topic-prefix",
      defaultValue = "" + KafkaSettings.DEFAULT_TOPIC_PREFIX,
      description =
          "Prefix of every topic name (env FETCHSTATS_TOPIC_PREFIX; default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--kafka-timeout",
      defaultValue = "10s",
      description =
          "How long to wait for Kafka to answer before failing (default: ${DEFAULT-VALUE}).")
  Duration kafkaTimeout;

  @Option(
      names = {"-X", "--kafka-property"},
      description = "A Kafka client property, key=value (TLS, SASL, tuning); repeatable.")
  Map<String, String> kafkaProperties = new HashMap<>();

  @Option(
      names = "--kafka-config",
      description = "A properties file of Kafka client properties (env FETCHSTATS_KAFKA_CONFIG).")
  Path kafkaConfig;

  @Override
  public void applyTo(FetchStatsConfig.Builder config) {
    config.kafka(
        kafka ->
            kafka
                .bootstrapServers(bootstrapServers)
                .topicPrefix(topicPrefix)
                .timeout(kafkaTimeout)
                .properties(allKafkaProperties()));
  }

  /** Fails, as a usage error, a command that works on an existing Kafka but was given none. */
  void requireExternal(CommandSpec spec) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          spec.qualifiedName()
              + " needs --bootstrap-servers (or FETCHSTATS_BOOTSTRAP_SERVERS); only 'run',"
              + " 'broker' and 'demo' start an embedded broker");
    }
  }

  /**
   * The configuration of a command that reads or writes a pipeline on an existing Kafka, once that
   * Kafka answers: a usage error without one, a one-line failure when it does not answer.
   */
  FetchStatsConfig reachable(CommandSpec spec) {
    requireExternal(spec);
    FetchStatsConfig config = ConfigPart.config(this);
    TopicAdmin.requireReachable(config);
    return config;
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
