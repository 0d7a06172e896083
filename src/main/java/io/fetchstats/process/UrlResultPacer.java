package io.fetchstats.process;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Passes a URL's progress on to its published result at once when the URL completes, and otherwise
 * at most once an interval of wall-clock time (its latest state then). A result rounds every
 * field's moments exactly, which costs more than parsing a 256 KiB chunk: published after every
 * chunk, results took a third of the processor's time (JFR, see BENCHMARKS.md). url-results is
 * compacted, so readers only ever relied on a URL's latest result.
 *
 * <p>What waits is in memory only: after a crash or a rebalance the URL's next chunk, or its
 * completion, publishes its state.
 */
final class UrlResultPacer implements FixedKeyProcessor<String, UrlProgress, UrlProgress> {
  private final Duration interval;
  private final Map<String, FixedKeyRecord<String, UrlProgress>> waiting = new LinkedHashMap<>();
  private FixedKeyProcessorContext<String, UrlProgress> context;

  UrlResultPacer(Duration interval) {
    this.interval = interval;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, UrlProgress> context) {
    this.context = context;
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> publishWaiting());
  }

  @Override
  public void process(FixedKeyRecord<String, UrlProgress> record) {
    if (record.value().completedNow()) {
      waiting.remove(record.key());
      context.forward(record);
    } else {
      waiting.put(record.key(), record);
    }
  }

  private void publishWaiting() {
    waiting.values().forEach(context::forward);
    waiting.clear();
  }
}
