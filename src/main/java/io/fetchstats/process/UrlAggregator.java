package io.fetchstats.process;

import io.fetchstats.avro.ChunkStats;
import io.fetchstats.avro.FetchOutcome;
import io.fetchstats.avro.FieldStats;
import io.fetchstats.avro.UrlAggregate;
import io.fetchstats.avro.UrlEvent;
import io.fetchstats.domain.FailureClass;
import io.fetchstats.domain.Keys;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the chunk statistics of one URL request and its fetch outcome. The request is complete
 * once the outcome has arrived and as many chunks as it announced are counted; then its state is
 * dropped (exactly-once processing sends no late duplicates).
 *
 * <p>A request's progress carries the latest timestamp of its events so far: they arrive from every
 * partition of the chunks topic, not in the order they were written, and a result published with an
 * older timestamp than the one before it reads as an out-of-order update to a table of results.
 */
final class UrlAggregator implements Processor<String, UrlEvent, String, UrlProgress> {
  private static final Logger log = LoggerFactory.getLogger(UrlAggregator.class);

  private final String storeName;
  private ProcessorContext<String, UrlProgress> context;
  private TimestampedKeyValueStore<String, UrlAggregate> store;

  UrlAggregator(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<String, UrlProgress> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, UrlEvent> record) {
    Object event = record.value().getEvent();
    ValueAndTimestamp<UrlAggregate> stored = store.get(record.key());
    UrlAggregate aggregate = stored == null ? empty(event) : stored.value();
    long timestamp =
        stored == null ? record.timestamp() : Math.max(stored.timestamp(), record.timestamp());
    if (event instanceof ChunkStats chunk) {
      if (chunk.getError() != null && aggregate.getParseError() == null) {
        aggregate.setParseError(chunk.getError());
        aggregate.setErrorClass(chunk.getErrorClass());
      }
      merge(aggregate, chunk.getFields());
      aggregate.setChunksCounted(aggregate.getChunksCounted() + 1);
      aggregate.setRows(aggregate.getRows() + chunk.getRows());
      aggregate.setRaggedRows(aggregate.getRaggedRows() + chunk.getRaggedRows());
    } else if (event instanceof FetchOutcome outcome) {
      if (aggregate.getOutcome() != null) {
        log.warn(
            "Ignoring a second outcome for request {} of {}",
            outcome.getRequestId(),
            outcome.getUrl());
        return;
      }
      aggregate.setOutcome(outcome);
    }
    boolean complete =
        aggregate.getOutcome() != null
            && aggregate.getChunksCounted() >= aggregate.getOutcome().getChunkCount();
    if (complete) {
      store.delete(record.key());
    } else {
      store.put(record.key(), ValueAndTimestamp.make(aggregate, timestamp));
    }
    context.forward(
        record
            .withKey(Keys.url(aggregate.getJobId(), aggregate.getUrl()))
            .withValue(new UrlProgress(aggregate, complete))
            .withTimestamp(timestamp));
  }

  /**
   * Merges a chunk's fields into the request's, unless it failed: a failed URL counts no cells, so
   * they are dropped, and none of its chunks can grow the state. Statistics over the limits fail
   * the URL: whether they do depends on all its chunks, not their order.
   */
  private static void merge(UrlAggregate aggregate, List<FieldStats> fields) {
    if (aggregate.getParseError() != null) {
      aggregate.setFields(List.of());
      return;
    }
    List<FieldStats> merged = StatsCodec.merge(aggregate.getFields(), fields);
    String tooMany = StatsCodec.tooMany(merged);
    if (tooMany != null) {
      aggregate.setParseError("the body holds " + tooMany);
      aggregate.setErrorClass(FailureClass.TOO_MANY_FIELDS.name());
      merged = List.of();
    }
    aggregate.setFields(merged);
  }

  private static UrlAggregate empty(Object event) {
    UrlAggregate.Builder builder =
        UrlAggregate.newBuilder()
            .setChunksCounted(0)
            .setRows(0)
            .setRaggedRows(0)
            .setFields(List.of());
    if (event instanceof ChunkStats chunk) {
      return builder
          .setJobId(chunk.getJobId())
          .setUrl(chunk.getUrl())
          .setRequestId(chunk.getRequestId())
          .build();
    }
    FetchOutcome outcome = (FetchOutcome) event;
    return builder
        .setJobId(outcome.getJobId())
        .setUrl(outcome.getUrl())
        .setRequestId(outcome.getRequestId())
        .build();
  }
}
