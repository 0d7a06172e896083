package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class UrlBacklogTest {
  private static final TopicPartition URLS_0 = new TopicPartition("urls", 0);

  private final UrlBacklog backlog = new UrlBacklog();
  private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();

  @Test
  void requestsAreHandedOutInOrderAndARecordWhollyDoneCommitsPastIt() {
    backlog.add(list(0, 5, urls("a", 3)), committed::get);

    List<UrlBacklog.Fetch> fetches = takeAll();

    assertThat(fetches)
        .extracting(fetch -> fetch.request().requestId())
        .containsExactly("0:5:0", "0:5:1", "0:5:2");
    assertThat(fetches).allSatisfy(fetch -> assertThat(fetch.host()).isEqualTo("a.test"));
    assertThat(backlog.size()).isZero();
    fetches.forEach(backlog::done);
    assertThat(backlog.offsets()).containsExactly(Map.entry(URLS_0, new OffsetAndMetadata(6)));
  }

  @Test
  void aRequestNotDoneKeepsItsRecordCommittedWithTheRequestOpen() {
    backlog.add(list(0, 5, urls("a", 3)), committed::get);
    List<UrlBacklog.Fetch> fetches = takeAll();

    backlog.done(fetches.get(0));
    backlog.done(fetches.get(2));

    OffsetAndMetadata point = backlog.offsets().get(URLS_0);
    assertThat(point.offset()).isEqualTo(5);
    UrlBacklog resumed = new UrlBacklog();
    resumed.add(list(0, 5, urls("a", 3)), partition -> point);
    assertThat(urlsOf(drain(resumed))).containsExactly("http://a.test/1.csv");
  }

  @Test
  void aHostWithoutRoomHoldsBackTheRequestsAfterIt() {
    backlog.add(list(0, 0, "http://a.test/1", "http://b.test/1"), committed::get);

    assertThat(backlog.next(host -> !host.equals("a.test"))).isNull();
    assertThat(backlog.size()).isEqualTo(2);
    assertThat(urlsOf(drain(backlog))).containsExactly("http://a.test/1", "http://b.test/1");
  }

  @Test
  void aPartitionWithTheMostRequestsOpenWaitsForOneToBeDone() {
    backlog.add(list(0, 0, urls("a", PartitionProgress.MAX_OPEN + 1)), committed::get);

    List<UrlBacklog.Fetch> fetches = takeAll();

    assertThat(fetches).hasSize(PartitionProgress.MAX_OPEN);
    backlog.done(fetches.get(0));
    assertThat(takeAll()).hasSize(1);
  }

  @Test
  void aRecordThatCannotBeReadIsADeadLetterAndIsCommitted() {
    backlog.add(new ConsumerRecord<>("urls", 0, 3, key(), new byte[0]), committed::get);

    UrlBacklog.Item item = backlog.next(host -> true);

    assertThat(item)
        .isInstanceOfSatisfying(
            UrlBacklog.Refused.class,
            refused -> assertThat(refused.letter().reason()).contains("an empty value"));
    assertThat(backlog.next(host -> true)).isNull();
    assertThat(backlog.offsets()).containsExactly(Map.entry(URLS_0, new OffsetAndMetadata(4)));
  }

  @Test
  void aPartlyReadableRecordSendsItsDeadLetterOnceEvenWhenResumed() {
    String tooLong = "http://a.test/" + "x".repeat(io.fetchstats.domain.Keys.MAX_URL_LENGTH);
    ConsumerRecord<byte[], byte[]> record =
        list(0, 0, "http://a.test/1", tooLong, "http://a.test/2");
    backlog.add(record, committed::get);

    UrlBacklog.Item first = backlog.next(host -> true);
    UrlBacklog.Item fetch = backlog.next(host -> true);

    assertThat(first)
        .isInstanceOfSatisfying(
            UrlBacklog.Refused.class,
            refused -> assertThat(refused.letter().reason()).contains("line 2"));
    assertThat(fetch).isInstanceOf(UrlBacklog.Fetch.class);
    OffsetAndMetadata point = backlog.offsets().get(URLS_0);
    UrlBacklog resumed = new UrlBacklog();
    resumed.add(record, partition -> point);
    List<UrlBacklog.Item> items = new ArrayList<>();
    for (UrlBacklog.Item item; (item = resumed.next(host -> true)) != null; ) {
      items.add(item);
    }
    assertThat(items).allSatisfy(item -> assertThat(item).isInstanceOf(UrlBacklog.Fetch.class));
    assertThat(urlsOf(items.stream().map(UrlBacklog.Fetch.class::cast).toList()))
        .containsExactly("http://a.test/1", "http://a.test/2");
  }

  @Test
  void clearForgetsTheRecordsAndTheProgress() {
    backlog.add(list(0, 5, urls("a", 3)), committed::get);
    takeAll();

    backlog.clear();

    assertThat(backlog.size()).isZero();
    assertThat(backlog.next(host -> true)).isNull();
    assertThat(backlog.offsets()).isEmpty();
  }

  private List<UrlBacklog.Fetch> takeAll() {
    return drain(backlog);
  }

  private static List<UrlBacklog.Fetch> drain(UrlBacklog backlog) {
    List<UrlBacklog.Fetch> fetches = new ArrayList<>();
    for (UrlBacklog.Item item; (item = backlog.next(host -> true)) != null; ) {
      if (item instanceof UrlBacklog.Fetch fetch) {
        fetches.add(fetch);
      }
    }
    return fetches;
  }

  private static List<String> urlsOf(List<UrlBacklog.Fetch> fetches) {
    return fetches.stream().map(fetch -> fetch.request().url()).toList();
  }

  private static String[] urls(String host, int count) {
    return IntStream.range(0, count)
        .mapToObj(n -> "http://" + host + ".test/" + n + ".csv")
        .toArray(String[]::new);
  }

  /** A plain-text list of {@code urls} at {@code offset} of the urls topic's {@code partition}. */
  private static ConsumerRecord<byte[], byte[]> list(int partition, long offset, String... urls) {
    return new ConsumerRecord<>(
        "urls", partition, offset, key(), String.join("\n", urls).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] key() {
    return "job".getBytes(StandardCharsets.UTF_8);
  }
}
