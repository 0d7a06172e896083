package io.fetchstats.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.internals.Topic;

/**
 * The embedded broker's own topics, consumer offsets and transaction state, as it creates them on
 * first use. A broker creates one when a client first looks for its coordinator, and forgets that
 * it asked the controller as soon as the controller answers, before it sees the new topic itself: a
 * client asking in between has it ask again, which fails (TOPIC_ALREADY_EXISTS) and is logged as a
 * warning. Clients starting together hit that window, so {@link TopicAdmin} creates these first.
 */
final class InternalTopics {
  /** Partitions of each; one broker needs few. */
  static final int PARTITIONS = 4;

  /** One broker: one replica, and one is enough to write. */
  static final short REPLICATION_FACTOR = 1;

  static final int MIN_IN_SYNC_REPLICAS = 1;

  /**
   * 100 MiB, the broker's default for both: offsets.topic and transaction.state.log.segment.bytes.
   */
  private static final String SEGMENT_BYTES = String.valueOf(100 * 1024 * 1024);

  private InternalTopics() {}

  /** With the settings the broker gives them (its group and transaction coordinators'). */
  static List<NewTopic> definitions() {
    return List.of(
        new NewTopic(Topic.GROUP_METADATA_TOPIC_NAME, PARTITIONS, REPLICATION_FACTOR)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.COMPRESSION_TYPE_CONFIG,
                    "producer",
                    TopicConfig.SEGMENT_BYTES_CONFIG,
                    SEGMENT_BYTES)),
        new NewTopic(Topic.TRANSACTION_STATE_TOPIC_NAME, PARTITIONS, REPLICATION_FACTOR)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.COMPRESSION_TYPE_CONFIG,
                    "uncompressed",
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    String.valueOf(MIN_IN_SYNC_REPLICAS),
                    TopicConfig.SEGMENT_BYTES_CONFIG,
                    SEGMENT_BYTES,
                    TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG,
                    "false")));
  }
}
