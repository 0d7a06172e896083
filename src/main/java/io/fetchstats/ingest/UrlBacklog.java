package io.fetchstats.ingest;

import io.fetchstats.kafka.DeadLetters;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The URL requests of polled records not yet started, in the order they were polled, and the {@link
 * PartitionProgress} of each partition: what a transaction commits. Requests are handed out in
 * order; the next waits while its host or its partition has no room, as a busy host holds back its
 * own later requests rather than let the ones after them run ahead of what the progress can tell.
 * Not thread-safe: the ingest loop's thread alone uses it.
 */
final class UrlBacklog {
  /** What the loop is handed: a request to fetch or a record's dead letter to send. */
  sealed interface Item permits Fetch, Refused {}

  /** A request to fetch, its URL parsed once (null if it does not parse), and its host. */
  record Fetch(
      TopicPartition partition, long offset, UrlRequests.Request request, HttpUrl url, String host)
      implements Item {}

  /** A record that cannot be read, wholly or partly, and its dead letter. */
  record Refused(ConsumerRecord<byte[], byte[]> record, DeadLetters.Letter letter)
      implements Item {}

  /** A polled record, its dead letter until sent, and its requests not yet handed out. */
  private static final class Pending {
    final ConsumerRecord<byte[], byte[]> record;
    final TopicPartition partition;
    final ArrayDeque<UrlRequests.Request> requests;
    DeadLetters.Letter letter;

    Pending(
        ConsumerRecord<byte[], byte[]> record,
        List<UrlRequests.Request> requests,
        DeadLetters.Letter letter) {
      this.record = record;
      this.partition = new TopicPartition(record.topic(), record.partition());
      this.requests = new ArrayDeque<>(requests);
      this.letter = letter;
    }
  }

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
  private int requests;

  /**
   * Queues a polled record's requests that are still to fetch; {@code committed} tells the
   * committed offset of a partition seen for the first time since the last {@link #clear}.
   */
  void add(
      ConsumerRecord<byte[], byte[]> record,
      Function<TopicPartition, OffsetAndMetadata> committed) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    PartitionProgress done =
        progress.computeIfAbsent(partition, p -> PartitionProgress.resume(committed.apply(p)));
    UrlRequests.Parsed parsed = UrlRequests.parse(record);
    List<UrlRequests.Request> left =
        parsed.requests().stream()
            .filter(request -> done.toFetch(record.offset(), request.line()))
            .toList();
    DeadLetters.Letter letter =
        parsed.error() == null || done.reached(record.offset())
            ? null
            : DeadLetters.letter(
                record.key(),
                record.value(),
                parsed.exception(),
                parsed.error(),
                record.topic(),
                record.partition(),
                record.offset());
    pending.add(new Pending(record, left, letter));
    requests += left.size();
  }

  /** Requests queued and not yet handed out. */
  int size() {
    return requests;
  }

  /**
   * The next dead letter to send or request to fetch, or null if none is queued or the next
   * request's host has no room ({@code hostHasRoom}) or its partition has {@link
   * PartitionProgress#MAX_OPEN} requests open. What it hands out counts as sent or started.
   */
  Item next(Predicate<String> hostHasRoom) {
    while (!pending.isEmpty()) {
      Pending next = pending.peek();
      PartitionProgress partition = progress.get(next.partition);
      partition.reach(next.record.offset());
      if (next.letter != null) {
        Refused refused = new Refused(next.record, next.letter);
        next.letter = null;
        return refused;
      }
      if (next.requests.isEmpty()) {
        partition.passed(next.record.offset());
        pending.poll();
        continue;
      }
      UrlRequests.Request request = next.requests.peek();
      // Parsed once here: the loop thread is the one every URL of the stage goes through.
      HttpUrl url = HttpUrl.parse(request.url().strip());
      String host = FetchScheduler.hostOf(url);
      if (!hostHasRoom.test(host) || partition.open() >= PartitionProgress.MAX_OPEN) {
        return null;
      }
      next.requests.poll();
      requests--;
      partition.started(next.record.offset(), request.line());
      if (next.requests.isEmpty()) {
        partition.passed(next.record.offset());
        pending.poll();
      }
      return new Fetch(next.partition, next.record.offset(), request, url, host);
    }
    return null;
  }

  /** The request of {@code fetch} is done: its outcome is sent. */
  void done(Fetch fetch) {
    progress.get(fetch.partition()).done(fetch.offset(), fetch.request().line());
  }

  /** The offsets to commit with what is done: every partition reached. */
  Map<TopicPartition, OffsetAndMetadata> offsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    progress.forEach(
        (partition, done) -> {
          OffsetAndMetadata point = done.commitPoint();
          if (point != null) {
            offsets.put(partition, point);
          }
        });
    return offsets;
  }

  /** Forgets everything: after an abort, the records are read again from the last commit. */
  void clear() {
    pending.clear();
    progress.clear();
    requests = 0;
  }
}
