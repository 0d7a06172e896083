package io.fetchstats.kafka;

import io.fetchstats.config.FetchStatsConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the configuration into Kafka client properties: the only place that does. */
public final class KafkaClients {
  private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

  /**
   * Largest record the pipeline writes and its topics take: a chunk, or statistics of a URL or job
   * with many fields (a CSV row fills at most a chunk, so at most ~128k columns).
   */
  public static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;

  /**
   * Sets a short group session, unless the user set one: both stages poll often, so it costs
   * nothing, and an instance that died (kill -9) hands its partitions on in seconds, not 45.
   */
  public static void shortSession(Properties consumerProperties) {
    consumerProperties.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    consumerProperties.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
  }

  /** The group session timeout the stages' consumers use. */
  public static Duration sessionTimeout(FetchStatsConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafka().properties());
    shortSession(props);
    return Duration.ofMillis(
        Long.parseLong(props.getProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG).strip()));
  }

  private KafkaClients() {}

  /** Bootstrap servers plus every pass-through property (TLS, SASL, tuning). */
  public static Map<String, Object> common(FetchStatsConfig config) {
    Map<String, Object> props = new HashMap<>(config.kafka().properties());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    return props;
  }

  public static Properties producer(FetchStatsConfig config) {
    Properties props = new Properties();
    props.putAll(common(config));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_RECORD_BYTES));
    return props;
  }

  public static Properties readCommittedConsumer(FetchStatsConfig config, String groupId) {
    Properties props = new Properties();
    props.putAll(common(config));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    if (groupId != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    return props;
  }

  /**
   * A read-committed consumer without a group, for a command someone is waiting on: it fails within
   * seconds when Kafka cannot be reached.
   */
  public static Properties waitedOnReader(FetchStatsConfig config) {
    Properties props = readCommittedConsumer(config, null);
    props.putIfAbsent(
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        String.valueOf(config.kafka().timeout().toMillis()));
    return props;
  }

  /** The partitions of {@code topic}; an error that says so if the pipeline has not made it. */
  public static List<PartitionInfo> partitionsOf(Consumer<?, ?> consumer, String topic) {
    List<PartitionInfo> partitions = consumer.listTopics().get(topic);
    if (partitions == null) {
      throw new IllegalStateException(
          "topic " + topic + " does not exist: is the pipeline set up?");
    }
    return partitions;
  }

  /**
   * Reading topics to their end, as a person waiting on a command does: seconds, or minutes for a
   * huge topic.
   */
  public static final Duration READ_TO_END_TIMEOUT = Duration.ofMinutes(2);

  /** The Kafka timeout behind an error, if any: a transaction fails with one as its cause. */
  public static Optional<TimeoutException> timeoutBehind(Throwable error) {
    return behind(error, TimeoutException.class);
  }

  /**
   * The authentication failure behind an error, if any: SASL credentials refused, or a TLS
   * handshake that failed. Clients give up at once on one, so it is what the user has to fix.
   */
  public static Optional<AuthenticationException> authenticationFailureBehind(Throwable error) {
    return behind(error, AuthenticationException.class);
  }

  /** The first error of {@code type} in the chain of causes of {@code error}, if any. */
  public static <T extends Throwable> Optional<T> behind(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /**
   * Hands {@code each} every record of {@code topic}, from its start up to the end offsets taken
   * now (which read_committed caps at the last stable offset), within {@link #READ_TO_END_TIMEOUT}.
   */
  public static <K, V> void readToEnd(
      Consumer<K, V> consumer,
      String topic,
      java.util.function.Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> partitions =
        partitionsOf(consumer, topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    long deadline = System.nanoTime() + READ_TO_END_TIMEOUT.toNanos();
    while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
      requireBefore(deadline, topic);
      consumer.poll(READ_POLL).forEach(each);
    }
  }

  private static final Duration READ_POLL = Duration.ofMillis(200);

  /**
   * {@link #readToEnd} on a reader of its own: the committed records of {@code topic}, keys as
   * text.
   */
  public static void readCommitted(
      FetchStatsConfig config,
      String topic,
      java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            waitedOnReader(config), new StringDeserializer(), new ByteArrayDeserializer())) {
      readToEnd(consumer, topic, each);
    }
  }

  /**
   * The latest value of each key of a compacted topic whose key {@code wanted} accepts, read to its
   * current end (read-committed), in key order: a tombstone removes its key, a record this version
   * cannot decode is skipped with a warning.
   */
  public static <V> Map<String, V> latestByKey(
      FetchStatsConfig config, Topic<String, V> topic, Predicate<String> wanted) {
    Map<String, V> latest = new TreeMap<>();
    readCommitted(
        config,
        topic.name(),
        record -> {
          if (record.key() == null || !wanted.test(record.key())) {
            return;
          }
          if (record.value() == null) {
            latest.remove(record.key());
            return;
          }
          try {
            latest.put(record.key(), topic.decode(record.value()));
          } catch (SerializationException e) {
            log.warn("Skipping an unreadable record on {}: {}", topic.name(), e.getMessage());
          }
        });
    return latest;
  }

  /**
   * Fails with a TimeoutException once {@code deadline} (a {@link System#nanoTime} value) has
   * passed: a reader whose broker went away midway stops instead of polling for ever.
   */
  public static void requireBefore(long deadline, String reading) {
    if (System.nanoTime() - deadline > 0) {
      throw new TimeoutException(
          "could not read " + reading + " to its end within " + READ_TO_END_TIMEOUT);
    }
  }
}
