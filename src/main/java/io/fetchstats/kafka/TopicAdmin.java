package io.fetchstats.kafka;

import io.fetchstats.config.FetchStatsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and describes the pipeline's topics. */
public final class TopicAdmin implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

  /** For a broker that answers: creating topics may take a while on a busy one. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final Duration LISTED_POLL = Duration.ofMillis(20);

  private final Admin admin;
  private final FetchStatsConfig config;
  private final Topics topics;

  public TopicAdmin(FetchStatsConfig config) {
    this.config = config;
    this.topics = Topics.of(config);
    this.admin = Admin.create(KafkaClients.common(config));
  }

  /**
   * Fails within the Kafka timeout, with one line saying so, when no broker answers at {@code
   * kafka().bootstrapServers()}: a command checks this first, rather than wait a minute on its
   * first request.
   */
  public static void requireReachable(FetchStatsConfig config) {
    try (TopicAdmin admin = new TopicAdmin(config)) {
      admin.requireReachable();
    }
  }

  public void requireReachable() {
    Duration timeout = config.kafka().timeout();
    try {
      // Timed out by Kafka itself, so that no call is left pending for close() to wait on.
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .clusterId()
          .get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      // The line says all of a timeout; any other cause (a TLS or SASL error) is told as well.
      boolean timedOut = cause instanceof org.apache.kafka.common.errors.TimeoutException;
      throw new IllegalStateException(
          "cannot reach Kafka at "
              + config.kafka().bootstrapServers()
              + (timedOut
                  ? " within " + timeout.toMillis() / 1000.0 + " s"
                  : " (" + cause.getMessage() + ")")
              + ": is it running, and are --bootstrap-servers right? (--kafka-timeout waits"
              + " longer)",
          timedOut ? null : cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reaching Kafka", e);
    }
  }

  /**
   * Creates the pipeline's topics that do not exist yet, and with {@code embeddedBroker} the
   * broker's own topics too (see {@link InternalTopics}); returns the names of the pipeline's
   * topics it created.
   */
  public List<String> createMissing(boolean embeddedBroker) {
    Set<String> existing = listed();
    Map<String, TopicDescription> described = describe(existing);
    // Existing topics keep their partitions: say so when they differ from what was asked.
    described.forEach(
        (name, description) -> {
          if (description.partitions().size() != config.kafka().partitions()) {
            log.warn(
                "Topic {} exists with {} partitions, not {}; it is left as it is",
                name,
                description.partitions().size(),
                config.kafka().partitions());
          }
        });
    // A topic a newer version adds to a pipeline gets as many partitions as the pipeline's topics
    // have: Kafka Streams sizes its repartition topics by its largest source topic, and fails to
    // start if one it made before no longer matches.
    int partitions =
        topics.definitions().stream()
            .map(topic -> described.get(topic.name()))
            .filter(Objects::nonNull)
            .mapToInt(description -> description.partitions().size())
            .max()
            .orElse(config.kafka().partitions());
    List<NewTopic> missing = new ArrayList<>();
    for (Topics.Definition topic : topics.definitions()) {
      if (!existing.contains(topic.name())) {
        missing.add(
            new NewTopic(topic.name(), partitions, config.kafka().replicationFactor())
                .configs(topicConfig(topic)));
      }
    }
    List<NewTopic> internal =
        embeddedBroker
            ? InternalTopics.definitions().stream()
                .filter(topic -> !existing.contains(topic.name()))
                .toList()
            : List.of();
    if (!missing.isEmpty() || !internal.isEmpty()) {
      List<NewTopic> created = new ArrayList<>(missing);
      created.addAll(internal);
      await(admin.createTopics(created).all(), "create topics");
      awaitListed(created.stream().map(NewTopic::name).toList());
    }
    if (!missing.isEmpty()) {
      log.info("Created {} topics with {} partitions each", missing.size(), partitions);
    }
    return missing.stream().map(NewTopic::name).toList();
  }

  /** The names of all topics the broker knows, its own included. */
  private Set<String> listed() {
    return await(
        admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), "list topics");
  }

  /**
   * Waits until the broker lists {@code names}: it learns of a topic a moment after the controller
   * created it, and a client started in between would find it missing (and for the broker's own
   * topics, have it create them again: see {@link InternalTopics}).
   */
  private void awaitListed(List<String> names) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!listed().containsAll(names)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "created topics not listed within " + TIMEOUT + ": " + names);
      }
      try {
        Thread.sleep(LISTED_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted: waiting for created topics", e);
      }
    }
  }

  /** The cluster's id and how many brokers it has, in words ("cluster abc, 3 brokers"). */
  public String cluster() {
    var cluster = admin.describeCluster();
    String id = await(cluster.clusterId(), "describe the cluster");
    int brokers = await(cluster.nodes(), "describe the cluster").size();
    return "cluster " + id + ", " + brokers + (brokers == 1 ? " broker" : " brokers");
  }

  /** Name to description of each of the pipeline's topics that exists. */
  public Map<String, TopicDescription> describe() {
    return describe(listed());
  }

  private Map<String, TopicDescription> describe(Set<String> existing) {
    List<String> present =
        topics.definitions().stream()
            .map(Topics.Definition::name)
            .filter(existing::contains)
            .toList();
    return present.isEmpty()
        ? Map.of()
        : await(admin.describeTopics(present).allTopicNames(), "describe topics");
  }

  /**
   * The members and lag of consumer group {@code groupId}, which reads {@code inputs} (topic names
   * that exist; others are left out).
   */
  public GroupStatus group(String groupId, Collection<String> inputs) {
    Map<String, TopicDescription> described = describe();
    List<TopicDescription> read =
        inputs.stream().map(described::get).filter(Objects::nonNull).toList();
    try {
      return GroupStatus.of(admin, groupId, read, config.kafka().timeout());
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot tell the state of group " + groupId + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: cannot " + what, e);
    }
  }

  private static Map<String, String> topicConfig(Topics.Definition topic) {
    String maxMessage = String.valueOf(KafkaClients.MAX_RECORD_BYTES);
    return topic.compacted()
        ? Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            maxMessage)
        : Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(10));
  }
}
