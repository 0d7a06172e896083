package io.fetchstats.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {
  private static final TopicPartition URLS_0 = new TopicPartition("urls", 0);

  @Test
  void aRecordWithinTheLimitsIsOneBatchThatCommitsPastIt() {
    BatchPlanner planner = new BatchPlanner(new BatchLimits(8, 8));
    planner.add(list(0, 5, urls("a", 3)), null);

    BatchPlanner.Batch batch = planner.next();

    assertThat(urlsOf(batch)).containsExactly(urls("a", 3));
    assertThat(batch.fetches())
        .extracting(fetch -> fetch.request().requestId())
        .containsExactly("0:5:0", "0:5:1", "0:5:2");
    assertThat(batch.fetches()).allSatisfy(fetch -> assertThat(fetch.host()).isEqualTo("a.test"));
    assertThat(batch.offsets()).containsExactly(Map.entry(URLS_0, new OffsetAndMetadata(6)));
    assertThat(batch.refused()).isEmpty();
    assertThat(planner.hasMore()).isFalse();
  }

  @Test
  void aLongListSpansBatchesEachCommittingTheLineToResumeAt() {
    BatchPlanner planner = new BatchPlanner(new BatchLimits(3, 3));
    planner.add(list(0, 5, urls("a", 7)), null);

    List<BatchPlanner.Batch> batches = drain(planner);

    assertThat(batches).extracting(batch -> batch.fetches().size()).containsExactly(3, 3, 1);
    assertThat(batches)
        .extracting(batch -> batch.offsets().get(URLS_0))
        .containsExactly(
            new OffsetAndMetadata(5, "fetchstats.line=3"),
            new OffsetAndMetadata(5, "fetchstats.line=6"),
            new OffsetAndMetadata(6));
  }

  @Test
  void aCommitOfAnotherRecordDoesNotResumeThisOne() {
    BatchPlanner planner = new BatchPlanner(new BatchLimits(8, 8));
    planner.add(list(0, 5, urls("a", 7)), new OffsetAndMetadata(4, "fetchstats.line=4"));

    assertThat(urlsOf(planner.next())).containsExactly(urls("a", 7));
  }

  @Test
  void aResumedRecordStartsAtItsLine() {
    BatchPlanner planner = new BatchPlanner(new BatchLimits(8, 8));
    planner.add(list(0, 5, urls("a", 7)), new OffsetAndMetadata(5, "fetchstats.line=4"));

    assertThat(urlsOf(planner.next()))
        .containsExactlyElementsOf(List.of(urls("a", 7)).subList(4, 7));
  }

  @Test
  void aHostAtItsLimitEndsTheBatch() {
    BatchPlanner planner = new BatchPlanner(new BatchLimits(8, 2));
    planner.add(
        list(0, 0, "http://a.test/1", "http://a.test/2", "http://a.test/3", "http://b.test/1"),
        null);

    List<BatchPlanner.Batch> batches = drain(planner);

    assertThat(batches)
        .extracting(BatchPlannerTest::urlsOf)
        .containsExactly(
            List.of("http://a.test/1", "http://a.test/2"),
            List.of("http://a.test/3", "http://b.test/1"));
    assertThat(batches.get(0).offsets().get(URLS_0))
        .isEqualTo(new OffsetAndMetadata(0, "fetchstats.line=2"));
  }

  @Test
  void aRecordThatCannotBeReadIsADeadLetterAndIsCommitted() {
    BatchPlanner planner = new BatchPlanner(new BatchLimits(8, 8));
    planner.add(new ConsumerRecord<>("urls", 0, 3, key(), new byte[0]), null);

    BatchPlanner.Batch batch = planner.next();

    assertThat(batch.fetches()).isEmpty();
    assertThat(batch.refused())
        .singleElement()
        .satisfies(refused -> assertThat(refused.letter().reason()).contains("an empty value"));
    assertThat(batch.offsets()).containsExactly(Map.entry(URLS_0, new OffsetAndMetadata(4)));
  }

  @Test
  void aPartlyReadableRecordSendsItsDeadLetterWithItsFirstBatchOnly() {
    String tooLong = "http://a.test/" + "x".repeat(io.fetchstats.domain.Keys.MAX_URL_LENGTH);
    ConsumerRecord<byte[], byte[]> record =
        list(0, 0, "http://a.test/1", tooLong, "http://a.test/2");
    BatchPlanner planner = new BatchPlanner(new BatchLimits(1, 1));
    planner.add(record, null);

    List<BatchPlanner.Batch> batches = drain(planner);

    assertThat(batches).extracting(batch -> batch.refused().size()).containsExactly(1, 0);
    assertThat(batches.get(0).refused().get(0).letter().reason()).contains("line 2");

    BatchPlanner resumed = new BatchPlanner(new BatchLimits(1, 1));
    resumed.add(record, batches.get(0).offsets().get(URLS_0));
    assertThat(drain(resumed)).allSatisfy(batch -> assertThat(batch.refused()).isEmpty());
  }

  /**
   * The batches take every URL of the records once, in order, within the limits; and resuming a
   * record from what any batch committed takes exactly the URLs after those.
   */
  @Property(tries = 200)
  void batchesCoverEveryUrlOnceWithinTheLimitsAndResumeWhereTheyStopped(
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 12) Integer> recordSizes,
      @ForAll @IntRange(min = 1, max = 3) int hosts,
      @ForAll @IntRange(min = 1, max = 6) int maxUrls,
      @ForAll @IntRange(min = 1, max = 6) int maxUrlsPerHost) {
    BatchLimits limits = new BatchLimits(maxUrls, maxUrlsPerHost);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < recordSizes.size(); i++) {
      String[] urls =
          IntStream.range(0, recordSizes.get(i))
              .mapToObj(n -> "http://h" + n % hosts + ".test/" + all.size() + "-" + n)
              .toArray(String[]::new);
      records.add(list(i % 2, i, urls));
      all.addAll(List.of(urls));
    }
    BatchPlanner planner = new BatchPlanner(limits);
    records.forEach(record -> planner.add(record, null));

    List<BatchPlanner.Batch> batches = drain(planner);

    assertThat(batches.stream().flatMap(batch -> urlsOf(batch).stream()).toList()).isEqualTo(all);
    List<String> taken = new ArrayList<>();
    for (BatchPlanner.Batch batch : batches) {
      taken.addAll(urlsOf(batch));
      assertThat(batch.fetches()).hasSizeLessThanOrEqualTo(maxUrls);
      Map<String, Integer> perHost = new HashMap<>();
      batch.fetches().forEach(fetch -> perHost.merge(fetch.host(), 1, Integer::sum));
      assertThat(perHost.values())
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(maxUrlsPerHost));
      for (ConsumerRecord<byte[], byte[]> record : records) {
        OffsetAndMetadata committed =
            batch.offsets().get(new TopicPartition(record.topic(), record.partition()));
        if (committed != null && committed.offset() == record.offset()) {
          BatchPlanner resumed = new BatchPlanner(limits);
          resumed.add(record, committed);
          List<String> rest = drain(resumed).stream().flatMap(b -> urlsOf(b).stream()).toList();
          assertThat(rest)
              .isNotEmpty()
              .isEqualTo(urlsOf(record).stream().filter(url -> !taken.contains(url)).toList());
        }
      }
    }
  }

  private static List<BatchPlanner.Batch> drain(BatchPlanner planner) {
    List<BatchPlanner.Batch> batches = new ArrayList<>();
    while (planner.hasMore()) {
      batches.add(planner.next());
    }
    return batches;
  }

  private static List<String> urlsOf(BatchPlanner.Batch batch) {
    return batch.fetches().stream().map(fetch -> fetch.request().url()).toList();
  }

  private static List<String> urlsOf(ConsumerRecord<byte[], byte[]> record) {
    return UrlRequests.parse(record).requests().stream().map(UrlRequests.Request::url).toList();
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
