package io.fetchstats.ingest;

import io.fetchstats.kafka.DeadLetters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Cuts the URLs of polled records into batches within the {@link BatchLimits}, one batch a
 * transaction, and tells the offsets each batch commits. A record with more URLs (a long plain-text
 * list) spans several batches: the offset committed with the earlier ones stays on the record, with
 * the next line to fetch in its metadata, where {@link #add} finds it again after a restart.
 */
final class BatchPlanner {
  /** Offset metadata of a record committed partly: the line its next transaction starts at. */
  private static final String RESUME_AT = "fetchstats.line=";

  /** A URL to fetch, parsed once (null if it does not parse), and the host it counts against. */
  record Fetch(UrlRequests.Request request, HttpUrl url, String host) {}

  /** A record that cannot be read, wholly or partly, and its dead letter. */
  record Refused(ConsumerRecord<byte[], byte[]> record, DeadLetters.Letter letter) {}

  /** What one transaction publishes: dead letters, fetches, and the offsets to commit with them. */
  record Batch(
      List<Refused> refused, List<Fetch> fetches, Map<TopicPartition, OffsetAndMetadata> offsets) {}

  /**
   * A polled record and what is left to do of it (its dead letter is sent with the first batch).
   */
  private static final class Pending {
    final ConsumerRecord<byte[], byte[]> record;
    final ArrayDeque<UrlRequests.Request> requests;
    DeadLetters.Letter letter;

    Pending(
        ConsumerRecord<byte[], byte[]> record,
        List<UrlRequests.Request> requests,
        DeadLetters.Letter letter) {
      this.record = record;
      this.requests = new ArrayDeque<>(requests);
      this.letter = letter;
    }

    TopicPartition partition() {
      return new TopicPartition(record.topic(), record.partition());
    }
  }

  private final BatchLimits limits;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  BatchPlanner(BatchLimits limits) {
    this.limits = limits;
  }

  /**
   * Queues a polled record, from the line after those an earlier transaction committed: {@code
   * committed} is its partition's committed offset, or null.
   */
  void add(ConsumerRecord<byte[], byte[]> record, OffsetAndMetadata committed) {
    UrlRequests.Parsed parsed = UrlRequests.parse(record);
    int firstLine = resumeLine(record.offset(), committed);
    pending.add(
        new Pending(
            record,
            parsed.requests().stream().filter(request -> request.line() >= firstLine).toList(),
            // A record resumed had its dead letter sent with its first transaction.
            firstLine > 0 || parsed.error() == null
                ? null
                : DeadLetters.letter(
                    record.key(),
                    record.value(),
                    parsed.exception(),
                    parsed.error(),
                    record.topic(),
                    record.partition(),
                    record.offset())));
  }

  /** Whether some queued record is not yet wholly in a batch. */
  boolean hasMore() {
    return !pending.isEmpty();
  }

  /** Takes the next batch off the queue. */
  Batch next() {
    List<Refused> refused = new ArrayList<>();
    List<Fetch> fetches = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<String, Integer> urlsPerHost = new HashMap<>();
    boolean full = false;
    while (!pending.isEmpty() && !full) {
      Pending next = pending.peek();
      if (next.letter != null) {
        refused.add(new Refused(next.record, next.letter));
        next.letter = null;
      }
      while (!next.requests.isEmpty() && !full) {
        // Parsed once here: the loop thread is the one every URL of the stage goes through.
        HttpUrl parsed = HttpUrl.parse(next.requests.peek().url().strip());
        String host = FetchScheduler.hostOf(parsed);
        full =
            fetches.size() == limits.maxUrls()
                || urlsPerHost.getOrDefault(host, 0) == limits.maxUrlsPerHost();
        if (!full) {
          urlsPerHost.merge(host, 1, Integer::sum);
          fetches.add(new Fetch(next.requests.poll(), parsed, host));
        }
      }
      if (next.requests.isEmpty()) {
        offsets.put(next.partition(), new OffsetAndMetadata(next.record.offset() + 1));
        pending.poll();
      } else {
        offsets.put(
            next.partition(),
            new OffsetAndMetadata(next.record.offset(), RESUME_AT + next.requests.peek().line()));
      }
    }
    return new Batch(refused, fetches, offsets);
  }

  /** The first line to fetch of the record at {@code offset}, given its partition's commit. */
  private static int resumeLine(long offset, OffsetAndMetadata committed) {
    if (committed == null
        || committed.offset() != offset
        || !committed.metadata().startsWith(RESUME_AT)) {
      return 0;
    }
    return Integer.parseInt(committed.metadata().substring(RESUME_AT.length()));
  }
}
