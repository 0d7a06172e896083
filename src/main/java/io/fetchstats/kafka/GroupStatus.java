package io.fetchstats.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * What an operator asks of a consumer group (a stage): its members, and how far behind the end of
 * each topic it reads it is (committed records not yet consumed, read-committed).
 *
 * @param members "client id (host)" of each member, sorted
 * @param lagByTopic per topic, the records after the group's committed offsets; a partition it
 *     never committed counts from its start
 */
public record GroupStatus(
    String groupId, String state, List<String> members, Map<String, Long> lagByTopic) {

  /** The group's status on the {@code inputs} it reads (and any other topic it committed on). */
  static GroupStatus of(
      Admin admin, String groupId, Collection<TopicDescription> inputs, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Optional<ConsumerGroupDescription> group = describe(admin, groupId, timeout);
    String state =
        group.map(g -> g.groupState().toString().toLowerCase(Locale.ROOT)).orElse("no members");
    List<String> members =
        group.stream()
            .flatMap(g -> g.members().stream())
            .map(member -> member.clientId() + " (" + member.host().replaceFirst("^/", "") + ")")
            .sorted()
            .toList();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(groupId)
            .partitionsToOffsetAndMetadata()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, Long> from = new HashMap<>();
    for (TopicDescription topic : inputs) {
      topic
          .partitions()
          .forEach(p -> from.put(new TopicPartition(topic.name(), p.partition()), 0L));
    }
    committed.forEach(
        (partition, offset) -> from.put(partition, offset == null ? 0 : offset.offset()));
    Map<TopicPartition, Long> starts =
        offsets(admin, from.keySet(), OffsetSpec.earliest(), timeout);
    Map<TopicPartition, Long> latest = offsets(admin, from.keySet(), OffsetSpec.latest(), timeout);
    Map<String, Long> lag = new TreeMap<>();
    from.forEach(
        (partition, offset) -> {
          long position = Math.max(offset, starts.getOrDefault(partition, 0L));
          lag.merge(
              partition.topic(),
              Math.max(0, latest.getOrDefault(partition, 0L) - position),
              Long::sum);
        });
    return new GroupStatus(groupId, state, members, lag);
  }

  /**
   * The consumer group {@code groupId} as its coordinator describes it, or empty if it has none.
   *
   * @throws IllegalStateException if Kafka cannot tell
   */
  public static Optional<ConsumerGroupDescription> describe(
      Admin admin, String groupId, Duration timeout) throws InterruptedException {
    try {
      return Optional.of(
          admin
              .describeConsumerGroups(
                  List.of(groupId),
                  new DescribeConsumerGroupsOptions().timeoutMs((int) timeout.toMillis()))
              .describedGroups()
              .get(groupId)
              .get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Optional.empty();
      }
      throw new IllegalStateException(
          "cannot describe group " + groupId + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static Map<TopicPartition, Long> offsets(
      Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
    partitions.forEach(partition -> asked.put(partition, spec));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    admin
        .listOffsets(asked, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }
}
