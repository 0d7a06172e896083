package io.fetchstats.process;

import io.fetchstats.avro.UrlEvent;
import io.fetchstats.domain.Keys;
import io.fetchstats.domain.UrlAggregate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the chunk statistics of one URL request and its fetch outcome (see {@link
 * UrlAggregate#merge}). The request is complete once the outcome has arrived and as many chunks as
 * it announced are counted; then its state is dropped (exactly-once processing sends no late
 * duplicates).
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
    UrlAggregate event = AggregateCodec.event(record.value());
    ValueAndTimestamp<UrlAggregate> stored = store.get(record.key());
    UrlAggregate before =
        stored == null
            ? UrlAggregate.empty(event.jobId(), event.url(), event.requestId())
            : stored.value();
    if (event.outcome() != null && before.outcome() != null) {
      log.warn(
          "Ignoring a second outcome for request {} of {}",
          event.outcome().requestId(),
          event.outcome().url());
      return;
    }
    UrlAggregate aggregate = before.merge(event);
    long timestamp =
        stored == null ? record.timestamp() : Math.max(stored.timestamp(), record.timestamp());
    boolean complete = aggregate.isComplete();
    if (complete) {
      store.delete(record.key());
    } else {
      store.put(record.key(), ValueAndTimestamp.make(aggregate, timestamp));
    }
    context.forward(
        record
            .withKey(Keys.url(aggregate.jobId(), aggregate.url()))
            .withValue(new UrlProgress(aggregate, complete))
            .withTimestamp(timestamp));
  }
}
