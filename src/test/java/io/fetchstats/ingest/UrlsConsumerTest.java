package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The group bookkeeping of the ingest consumer, on Kafka's MockConsumer rather than a broker. */
class UrlsConsumerTest {
  private static final TopicPartition P0 = new TopicPartition("urls", 0);
  private static final TopicPartition P1 = new TopicPartition("urls", 1);

  private final MockConsumer<byte[], byte[]> mock =
      new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
  private final UrlsConsumer consumer = new UrlsConsumer(mock);

  @Test
  void anAssignedPartitionResumesWhereItsCommitSaid() {
    consumer.subscribe("urls");
    mock.rebalance(List.of(P1));
    // Another member committed part of a record of P0 before the partition moved here.
    mock.commitSync(Map.of(P0, new OffsetAndMetadata(5, "fetchstats.line=3")));

    mock.rebalance(List.of(P0, P1));

    assertThat(consumer.committed(P0)).isEqualTo(new OffsetAndMetadata(5, "fetchstats.line=3"));
    assertThat(consumer.committed(P1)).isNull();
  }

  @Test
  void aRebalanceThatTakesPartitionsIsToldOnce() {
    consumer.subscribe("urls");
    mock.rebalance(List.of(P0, P1));
    assertThat(consumer.revoked()).isFalse();

    mock.rebalance(List.of(P0));

    assertThat(consumer.revoked()).isTrue();
    assertThat(consumer.revoked()).isFalse();
  }

  @Test
  void rewindGoesBackToTheLastCommit() {
    consumer.subscribe("urls");
    mock.rebalance(List.of(P0, P1));
    mock.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    mock.seek(P0, 9);
    mock.seek(P1, 9);
    mock.commitSync(Map.of(P0, new OffsetAndMetadata(4, "fetchstats.line=1")));

    consumer.rewind();

    assertThat(mock.position(P0)).isEqualTo(4);
    assertThat(mock.position(P1)).isZero();
    assertThat(consumer.committed(P0).metadata()).isEqualTo("fetchstats.line=1");
  }
}
