package io.fetchstats.process;

import io.fetchstats.avro.UrlEvent;
import io.fetchstats.domain.Keys;
import io.fetchstats.domain.RequestFetches;
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
 * UrlAggregate#merge}), per fetch of the request (see {@link RequestFetches}). The request is
 * complete once the outcome has arrived and as many chunks of its fetch as it announced are
 * counted; then its state shrinks to what tells later events of its abandoned fetches, which are
 * dropped.
 *
 * <p>A request's progress carries the latest timestamp of its events so far: they arrive from every
 * partition of the chunks topic, not in the order they were written, and a result published with an
 * older timestamp than the one before it reads as an out-of-order update to a table of results.
 */
final class UrlAggregator implements Processor<String, UrlEvent, String, UrlProgress> {
  private static final Logger log = LoggerFactory.getLogger(UrlAggregator.class);

  private final String storeName;
  private ProcessorContext<String, UrlProgress> context;
  private TimestampedKeyValueStore<String, RequestFetches> store;

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
    ValueAndTimestamp<RequestFetches> stored = store.get(record.key());
    RequestFetches.Step step =
        stored == null ? RequestFetches.first(event) : stored.value().with(event);
    if (step.advanced() == null) {
      log.info(
          "Ignoring {} of request {} of {}: {}",
          event.outcome() == null ? "a chunk" : "an outcome",
          event.requestId(),
          event.url(),
          stored.value().isComplete()
              ? "the request is complete"
              : event.outcome() != null && stored.value().main().sameFetch(event)
                  ? "a second outcome"
                  : "its fetch was abandoned (ingest fetched the request again)");
      return;
    }
    long timestamp =
        stored == null ? record.timestamp() : Math.max(stored.timestamp(), record.timestamp());
    boolean complete = step.state().isComplete();
    store.put(
        record.key(),
        ValueAndTimestamp.make(complete ? step.state().completed() : step.state(), timestamp));
    UrlAggregate aggregate = step.advanced();
    context.forward(
        record
            .withKey(Keys.url(aggregate.jobId(), aggregate.url()))
            .withValue(new UrlProgress(aggregate, complete))
            .withTimestamp(timestamp));
  }
}
